-- Who works on a case: one assignee (a staff user name) or nobody. Assignment is a conditional update on what the
-- caller saw; every change is on the case's timeline.
alter table casework_case add column assignee varchar(200);
alter table casework_case add column assigned_at timestamp with time zone;
create index casework_case_assignee on casework_case (assignee);
