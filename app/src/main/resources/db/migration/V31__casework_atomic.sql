-- Every casework command checks and changes its case in one conditional update of this counter.
alter table casework_case add column version bigint default 0 not null;

-- At most one OPEN proposal per case: open_for holds the request's id while the proposal is OPEN, null after.
-- A proposal may be a reviewer's change to another one (changes_proposal), waiting for a second reviewer.
alter table casework_proposal add column proposed_role varchar(32);
alter table casework_proposal add column changes_proposal uuid references casework_proposal (id);
alter table casework_proposal add column open_for uuid;
update casework_proposal p set status = 'SUPERSEDED' where status = 'OPEN' and exists (
    select 1 from casework_proposal q where q.request_id = p.request_id and q.status = 'OPEN'
        and (q.proposed_at > p.proposed_at or (q.proposed_at = p.proposed_at and q.id > p.id)));
update casework_proposal set open_for = request_id where status = 'OPEN';
create unique index casework_proposal_one_open on casework_proposal (open_for);

-- Who decided, by role: the proposer, the reviewer whose change was confirmed (if any), and who decided.
alter table casework_decision add column proposed_role varchar(32);
alter table casework_decision add column changed_by varchar(100);
alter table casework_decision add column changed_role varchar(32);
