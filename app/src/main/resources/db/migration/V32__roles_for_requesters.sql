-- The role of whoever submitted a request or recorded a call-back, so that requesters are shown roles, not names.
alter table intake_request add column submitted_role varchar(32);
update intake_request set submitted_role = (select u.role from accounts_user u where u.username = intake_request.submitted_by);
update intake_request set submitted_role = 'REQUESTER' where submitted_role is null and submitted_by like 'agency-token:%';
alter table trust_callback add column called_role varchar(32);
update trust_callback set called_role = (select u.role from accounts_user u where u.username = trust_callback.called_by);
