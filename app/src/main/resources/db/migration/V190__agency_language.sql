-- The language an agency reads its letters in (ISO 639-1, such as fr). Null: the language of its state where Habeas
-- writes that language, else the operator's default (habeas.letters.*).
alter table accounts_agency add column language varchar(8);
