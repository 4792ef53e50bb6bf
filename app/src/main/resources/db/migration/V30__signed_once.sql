-- A verified signature is accepted once per agency: its jti (if it had one) and the SHA-256 of the exact bytes it
-- signed are unique per agency, enforced by the database when the request is stored.
alter table intake_request add column signature_jti varchar(200);
alter table intake_request add column signed_sha256 char(64);
create unique index intake_request_signature_jti on intake_request (agency_id, signature_jti);
create unique index intake_request_signed_sha256 on intake_request (agency_id, signed_sha256);

-- Idempotency keys belong to the agency that used them: another agency's key is neither a replay nor a conflict.
alter table intake_request add column agency_idempotency_key varchar(255);
update intake_request set agency_idempotency_key = idempotency_key;
alter table intake_request drop column idempotency_key;
alter table intake_request rename column agency_idempotency_key to idempotency_key;
create unique index intake_request_idempotency on intake_request (agency_id, idempotency_key);
