-- EU e-Evidence over ETSI TS 103 120: which member-state sender identifier (the HI-1 header's SenderIdentifier)
-- is which registered agency; every message received, with its SHA-256 and the answer given, so that a repeated
-- message is answered the same way and creates nothing; and the HI-1 objects each request was made from.
create table eevidence_sender (
    country     char(2)      not null,
    identifier  varchar(256) not null,
    agency_id   uuid         not null references accounts_agency (id),
    bound_at    timestamp with time zone not null,
    primary key (country, identifier)
);

create table eevidence_message (
    id                uuid primary key,
    sender_country    char(2)      not null,
    sender_identifier varchar(256) not null,
    transaction_id    char(36)     not null,
    endpoint          varchar(40)  not null,
    request_id        uuid references intake_request (id),
    message_sha256    char(64)     not null,
    response          text         not null,
    received_at       timestamp with time zone not null,
    unique (sender_country, sender_identifier, transaction_id)
);

create table eevidence_object (
    object_id   char(36)     primary key,
    request_id  uuid         not null references intake_request (id),
    object_type varchar(64)  not null,   -- AuthorisationObject, LDTaskObject, LPTaskObject, DocumentObject
    reference   varchar(300)
);

create index eevidence_object_request on eevidence_object (request_id);
