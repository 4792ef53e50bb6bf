-- Sessions follow the account: a session remembers the epoch its user had at sign-in; a role change, disabling
-- the user, or completing a set-up link moves the epoch on, and every older session ends at its next request.
alter table accounts_user add column session_epoch bigint not null default 0;

-- Set-up links carry the second-factor secret Habeas generated for them, and end when another link is issued
-- or used.
alter table accounts_setup_link add column totp_secret varchar(64);
alter table accounts_setup_link add column revoked_at timestamp with time zone;
create index accounts_setup_link_user on accounts_setup_link (user_id);

-- Requesters sign in with a second factor unless an operator turned that off for their agency.
alter table accounts_agency add column requester_two_factor boolean not null default true;

-- Four eyes for access: a new user, a role that reaches casework or administration, and a set-up link for an
-- existing user are asked for by one administrator and approved by another.
create table accounts_grant (
    id              uuid primary key,
    user_id         uuid         not null references accounts_user (id),
    kind            varchar(16)  not null,   -- NEW_USER, ROLE, SETUP_LINK
    role            varchar(32),             -- the role granted (NEW_USER, ROLE)
    requested_by    varchar(100) not null,
    requested_by_id uuid         not null,
    requested_at    timestamp with time zone not null,
    decided_by      varchar(100),
    decided_at      timestamp with time zone,
    outcome         varchar(16)               -- APPROVED or REFUSED; null while pending
);

create index accounts_grant_pending on accounts_grant (outcome, requested_at);
