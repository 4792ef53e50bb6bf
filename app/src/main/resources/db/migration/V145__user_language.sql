-- The language a person last used Habeas in (ISO 639-1): their notifications and e-mails are written in it.
alter table accounts_user add column language varchar(8) default 'en' not null;
