-- Every set-up link goes to the user's own e-mail address, never to an administrator.
-- Stored in lower case; one address belongs to one user (so that one mailbox never holds two people's accounts).
alter table accounts_user add column email varchar(254);
create unique index accounts_user_email on accounts_user (email);
-- the address asked for (EMAIL grants) or given for a new user (NEW_USER)
alter table accounts_grant add column email varchar(254);
