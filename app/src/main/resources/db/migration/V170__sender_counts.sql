-- Each agency's record as a sender as counted columns, kept on write in the transaction that changes them
-- (trust.SenderCounts): what it sent, withdrew, what the safeguards refused and by which rule, the failed signature
-- checks and the requests a call-back did not confirm. A write adds to one of a few shard rows picked per
-- transaction, so that concurrent requests of one agency do not all wait for one row; the record sums them.
create table trust_sender_count (
    agency_id uuid        not null,
    item      varchar(80) not null,   -- SENT, WITHDRAWN, REFUSED, RULE:<rule>, SIGNATURE_FAILED, CALLBACK_FAILED
    shard     smallint    not null,
    n         bigint      not null,
    primary key (agency_id, item, shard)
);

-- the requests a call-back did not confirm, once each (a second NOT_CONFIRMED call-back does not count again)
create table trust_callback_failed (
    request_id uuid primary key references intake_request (id)
);

insert into trust_callback_failed (request_id)
select distinct request_id from trust_callback where outcome = 'NOT_CONFIRMED';

-- what the aggregate over the stored rows gave until now, in shard 0
insert into trust_sender_count (agency_id, item, shard, n)
select agency_id, 'SENT', 0, count(*) from intake_request where agency_id is not null group by agency_id;

insert into trust_sender_count (agency_id, item, shard, n)
select agency_id, 'WITHDRAWN', 0, count(*) from intake_request
where agency_id is not null and status = 'WITHDRAWN' group by agency_id;

insert into trust_sender_count (agency_id, item, shard, n)
select agency_id, 'REFUSED', 0, count(distinct request_id) from trust_refused_rule group by agency_id;

insert into trust_sender_count (agency_id, item, shard, n)
select agency_id, 'RULE:' || rule, 0, count(*) from trust_refused_rule group by agency_id, rule;

insert into trust_sender_count (agency_id, item, shard, n)
select agency_id, 'SIGNATURE_FAILED', 0, count(*) from accounts_sender_failure group by agency_id;

insert into trust_sender_count (agency_id, item, shard, n)
select r.agency_id, 'CALLBACK_FAILED', 0, count(*) from trust_callback_failed f
join intake_request r on r.id = f.request_id where r.agency_id is not null group by r.agency_id;
