-- A checkpoint whose size is the log's published prefix: every entry below it belongs to a closed reporting period.
-- The latest such one is served at /log/published/checkpoint, so that a standard tlog-tiles client reads exactly the
-- published entries.
alter table ledger_checkpoint add column published boolean default false not null;
