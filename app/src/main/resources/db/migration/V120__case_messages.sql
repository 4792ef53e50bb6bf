-- Documents attached to the messages of a case's thread (questions, answers, later messages). The document itself is
-- one of the request's documents (intake_document: sniffed type, SHA-256, content); this says which step carried it.
create table casework_attachment (
    event_id    bigint not null references casework_event (id),
    document_id uuid   not null references intake_document (id) on delete cascade, -- a purge removes the documents
    primary key (event_id, document_id)
);

create index casework_attachment_document on casework_attachment (document_id);
