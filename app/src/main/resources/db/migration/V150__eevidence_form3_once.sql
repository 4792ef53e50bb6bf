-- One Form 3 per order: the row is written in the transaction that queues the notice, so a second submission (a
-- double click, two members of staff at once) finds the key taken and is refused instead of sending a second notice.
create table eevidence_form3 (
    request_id uuid primary key references intake_request (id),
    reason     varchar(60)  not null,
    sent_by    varchar(200) not null,
    sent_at    timestamp with time zone not null
);
