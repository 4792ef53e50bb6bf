-- Production packages: encrypted for the recipient agency, offered to its officers until they expire.
create table disclosure_package (
    id           uuid primary key,
    request_id   uuid         not null references intake_request (id),
    created_at   timestamp with time zone not null,
    created_by   varchar(100) not null,
    expires_at   timestamp with time zone not null,
    recipient_kid varchar(200) not null,
    manifest     text         not null,   -- what it holds (no content), signed in the package
    jwe          text,                    -- the encrypted package; removed when purged
    received_at  timestamp with time zone,
    received_by  varchar(100)
);

create index disclosure_package_request on disclosure_package (request_id);
