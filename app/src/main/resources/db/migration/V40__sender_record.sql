-- An agency's record as a sender, kept countable without reading any assessment: one row per refused request and
-- rule that refused it, written with the assessment (trust.SenderTrust). Counting them is one indexed scan.
create table trust_refused_rule (
    request_id uuid        not null references intake_request (id),
    agency_id  uuid        not null,
    rule       varchar(64) not null,
    primary key (request_id, rule)
);

create index trust_refused_rule_agency on trust_refused_rule (agency_id, rule);

-- requests per agency and status, without visiting the rows
create index intake_request_agency_status on intake_request (agency_id, status);
