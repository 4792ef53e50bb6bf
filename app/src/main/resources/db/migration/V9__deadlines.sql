-- Preservation holds: what is frozen, from when, until when; they lapse on their day unless extended.
create table casework_hold (
    request_id  uuid primary key references intake_request (id),
    categories  varchar(200) not null,
    started_on  date         not null,
    expires_on  date         not null,
    status      varchar(16)  not null,   -- ACTIVE, EXPIRED, RELEASED
    ended_at    timestamp with time zone
);

create index casework_hold_expiry on casework_hold (status, expires_on);

-- Leases that keep a scheduled job to one node at a time when several share the database.
create table casework_lease (
    name   varchar(100) primary key,
    holder varchar(200) not null,
    until  timestamp with time zone not null
);
