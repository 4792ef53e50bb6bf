-- Call-backs staff made to confirm a request with its sender on a registered number.
create table trust_callback (
    id          uuid primary key,
    request_id  uuid         not null references intake_request (id),
    number_id   uuid         not null references accounts_callback_number (id),
    called_by   varchar(100) not null,
    called_at   timestamp with time zone not null,
    outcome     varchar(16)  not null,   -- CONFIRMED, NOT_CONFIRMED, NO_ANSWER
    note        varchar(1000) not null,
    recorded_at timestamp with time zone not null
);

create index trust_callback_request on trust_callback (request_id, recorded_at);
