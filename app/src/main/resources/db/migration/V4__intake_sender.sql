-- Who sent each request: the agency it came from, the person or token that submitted it, and the result of
-- checking its signature (VERIFIED, UNSIGNED, UNKNOWN_KEY).
alter table intake_request add column agency_id uuid references accounts_agency (id);
alter table intake_request add column submitted_by varchar(100);
alter table intake_request add column sender_verification varchar(24);
alter table intake_request add column signature_kid varchar(200);

create index intake_request_agency on intake_request (agency_id, received_at);
