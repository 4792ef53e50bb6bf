-- Leases that keep each scheduled job (checkpoint signer, witness submission, deadlines, notifications, notices,
-- retention) to one node at a time when several nodes share the database. A node takes or renews a lease with a
-- conditional update (holder = itself, or the lease has run out) and checks its row count.
create table node_lease (
    name       varchar(100) primary key,
    holder     varchar(200) not null,
    expires_at timestamp with time zone not null
);

insert into node_lease (name, holder, expires_at) select name, holder, until from casework_lease;
drop table casework_lease;

-- Which node signed each checkpoint (null for those signed before this was recorded).
alter table ledger_checkpoint add column signed_by varchar(200);
