-- The identifiers (RequestValue) each LD/LP task of an order names, one per line, so that what is produced for an
-- identifier is delivered against the task that asked for it (TS 103 705 records carry the task's LDID).
alter table eevidence_object add column request_values varchar(4000);
