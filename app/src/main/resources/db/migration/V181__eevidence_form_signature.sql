-- The check of the signed form (the EPOC or EPOC-PR PDF) of an order received over the e-Evidence channel: VALID,
-- INVALID, UNSIGNED or UNKNOWN_KEY, who signed and when, and why; kept with the request and shown on its case.
create table eevidence_form_signature (
    request_id    uuid primary key references intake_request (id),
    document_name varchar(300)  not null,
    status        varchar(16)   not null,
    signer        varchar(300),
    signed_at     timestamp with time zone,
    detail        varchar(1000) not null
);
