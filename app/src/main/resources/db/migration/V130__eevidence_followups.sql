-- A response deadline set anew by the requesting authority (e-Evidence /eevidence/newdeadline): it replaces the
-- instrument's clock for the case; the latest one counts.
create table casework_due_override (
    request_id uuid primary key references intake_request (id),
    due_at     timestamp with time zone not null,
    basis      varchar(500)             not null,
    set_at     timestamp with time zone not null
);
