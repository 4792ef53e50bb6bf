-- A notice to an account holder that could not be sent stays PENDING (the law's notification is still owed), and
-- says how often it was tried, when last, and why it failed, for staff and oversight to see.
alter table disclosure_notice add column attempts integer not null default 0;
alter table disclosure_notice add column last_error varchar(300);
alter table disclosure_notice add column last_try_at timestamp with time zone;
