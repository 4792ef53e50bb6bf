-- Notices to account holders: due at once, or when a non-disclosure order expires; sent through a Notifier.
create table disclosure_notice (
    id         uuid primary key,
    request_id uuid         not null references intake_request (id),
    recipient  varchar(500),              -- null when the target has no address to write to
    due_at     timestamp with time zone not null,
    status     varchar(16)  not null,     -- PENDING, SENT, UNDELIVERABLE
    subject    varchar(300) not null,
    body       text         not null,
    sent_at    timestamp with time zone
);

create index disclosure_notice_due on disclosure_notice (status, due_at);
