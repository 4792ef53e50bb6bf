-- What people are told: one row per person and event, shown in Habeas (the bell and the notifications page) and
-- e-mailed. The mail's state is kept beside it, so that a message that could not be sent is visible, not lost:
-- PENDING (not tried yet), SENDING (a node is handing it over), SENT (to the SMTP server), OUTBOX (written to the
-- outbox directory, no SMTP server), FAILED (the server refused it; tried again), NOT_SENT (no mail server, no
-- address, or given up; the detail says which).
create table notification (
    id            uuid primary key,
    recipient_id  uuid         not null references accounts_user (id),
    request_id    uuid references intake_request (id),
    kind          varchar(32)  not null,
    subject       varchar(300) not null,
    body          text         not null,
    link          varchar(300),
    mail_text     varchar(300) not null,     -- what the e-mail says: no more than what happened, and the link
    created_at    timestamp with time zone not null,
    read_at       timestamp with time zone,
    mail_status   varchar(16)  not null,
    mail_detail   varchar(300),
    mail_attempts integer      not null default 0,
    mail_at       timestamp with time zone
);

create index notification_recipient on notification (recipient_id, created_at);
create index notification_mail on notification (mail_status);
