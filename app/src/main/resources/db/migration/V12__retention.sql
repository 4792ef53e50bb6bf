-- When a closed case's personal data was purged (targets, documents, packages, notices); its decision stays.
alter table casework_case add column purged_at timestamp with time zone;
