-- The tables this step brings (sessions, wall screens, meeting actions, staffing) come from
-- schema.sql, which an upgrade runs after its steps; this step adds the columns it needs to tables
-- of earlier stores.
select 1;
