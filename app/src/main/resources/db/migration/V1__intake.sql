-- Requests as received. The body is the RFC 8785 canonical JSON of the submitted Request v1 document,
-- kept unchanged; the other columns repeat the fields people filter on.
create table intake_request (
    id                 uuid primary key,
    reference          varchar(200) not null,
    status             varchar(32)  not null,
    received_at        timestamp with time zone not null,   -- Habeas's own clock at receipt
    sender_received_at timestamp with time zone,            -- the sender's receivedAt, if it sent one
    instrument         varchar(32)  not null,
    channel            varchar(32)  not null,
    measure            varchar(40)  not null,
    requesting_state   char(2)      not null,
    requested_state    char(2)      not null,
    emergency          boolean      not null,
    target_count       integer      not null,
    body               text         not null,
    body_sha256        char(64)     not null,
    idempotency_key    varchar(255) unique
);

create index intake_request_received_at on intake_request (received_at);
create index intake_request_status on intake_request (status, received_at);
create index intake_request_requesting_state on intake_request (requesting_state, received_at);
create index intake_request_instrument on intake_request (instrument, received_at);
create index intake_request_measure on intake_request (measure, received_at);

-- Documents attached to a request: the legal order itself, annexes. Stored with their SHA-256 so that what
-- was received can be proven later.
create table intake_document (
    id            uuid primary key,
    request_id    uuid          not null references intake_request (id),
    filename      varchar(255)  not null,
    declared_type varchar(255),
    sniffed_type  varchar(255)  not null,
    size_bytes    bigint        not null,
    sha256        char(64)      not null,
    content       bytea         not null,
    uploaded_at   timestamp with time zone not null
);

create index intake_document_request on intake_document (request_id, uploaded_at);
