-- The tables this step brings (sessions, wall screens, meeting actions, staffing) come from
-- schema.sql, which an upgrade runs after its steps; this step adds the columns it needs to tables
-- of earlier stores.
-- issue 19: who handled a step of a dossier's processing log (a roster officer id)
alter table if exists dossier_steps add column if not exists officer_id varchar;
