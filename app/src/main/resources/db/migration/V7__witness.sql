-- Witness mode: for each log this Habeas witnesses, the largest consistent tree it has seen and cosigned.
create table witness_log (
    origin     varchar(200) primary key,
    vkey       varchar(300) not null,
    size       bigint       not null,
    root       bytea,
    updated_at timestamp with time zone not null
);
