-- Messages from Habeas to a member state's system (outcome, nonexecution, datapreserved, confirmwithdrawal),
-- written in the transaction of the case change they report and sent afterwards, with retries and back-off.
create table eevidence_outbox (
    id             uuid primary key,
    request_id     uuid          not null references intake_request (id),
    country        char(2)       not null,
    endpoint       varchar(40)   not null,
    transaction_id char(36)      not null,
    body           text          not null,
    status         varchar(8)    not null,   -- PENDING, SENT, REFUSED (answered with an error; not sent again)
    attempts       integer       not null,
    next_at        timestamp with time zone not null,
    last_error     varchar(1000),
    created_at     timestamp with time zone not null,
    sent_at        timestamp with time zone
);

create index eevidence_outbox_due on eevidence_outbox (status, next_at);
