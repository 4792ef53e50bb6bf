-- Published transparency reports: each one's exact files, the checkpoint it was computed from, and its hash,
-- which a REPORT record in the public log commits to.
create table transparency_report (
    period          varchar(8) primary key,
    published_at    timestamp with time zone not null,
    published_by    varchar(100) not null,
    sha256          char(64)     not null,   -- of report.json as served
    checkpoint_size bigint       not null,
    checkpoint_root varchar(64)  not null,
    log_index       bigint,                  -- the REPORT record's index in the log
    report_json     text         not null,
    report_csv      text         not null,
    google_csv      text         not null,
    meta_csv        text         not null
);
