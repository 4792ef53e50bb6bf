-- Which form of the case records a case's commitments were computed over: 1 for cases logged before the records
-- covered the request's sender and stored columns and the case's timeline, 2 since. The audit recomputes each case
-- by its own form.
alter table ledger_case add column record_version smallint not null default 1;
