-- The assessment of each received request, as the safeguards engine produced it when the request arrived.
create table safeguards_assessment (
    request_id  uuid primary key references intake_request (id),
    decision    varchar(16)  not null,
    policy      varchar(100) not null,
    assessed_at timestamp with time zone not null,
    body        text         not null   -- the Assessment JSON
);

create index safeguards_assessment_decision on safeguards_assessment (decision);
