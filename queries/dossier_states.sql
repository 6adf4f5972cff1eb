-- The dossier states of kpi.md, defined once (the staging layer of the queries). Not a query: every
-- query file names a state as @name(alias) or @name(alias, day) and ioc/store.py writes the
-- definition in its place before the query runs, so "received" means the same in the rollups, the
-- live monitor, the lists, the land map and the quality checks. `d` stands for the alias given:
-- any relation with the dossiers' column names. A query that spells a status list out by hand
-- fails tests/test_store.py.

-- the status says the centre took the dossier in (kpi.md received)
status_received(d) := d.status not in ('registered', 'rejected');
received(d) := @status_received(d) and d.received_at is not null;

-- the status says the dossier was resolved (kpi.md resolved)
status_resolved(d) := d.status in ('finished', 'returned');
resolved(d) := @status_resolved(d) and d.finished_at is not null;

-- the status says the dossier is or was being handled: not yet taken in, refused, withdrawn or
-- stopped dossiers are never open (kpi.md open_at_end)
status_handled(d) := d.status not in ('registered', 'rejected', 'withdrawn', 'stopped');
handled(d) := @status_handled(d) and d.received_at is not null;

-- still with the centre: neither resolved nor ended another way
status_in_progress(d) := d.status in (
    'accepted', 'processing', 'supplement_requested', 'payment_requested'
);

-- open at the end of `day` (kpi.md open_at_end; dates compared by calendar day)
open_on(d, day) := @handled(d)
    and cast(d.received_at as date) <= day
    and (d.finished_at is null or cast(d.finished_at as date) > day);

-- of a resolved dossier: by the due day (no due date counts as on time, as the portal does)
on_time(d) := d.due_at is null or cast(d.finished_at as date) <= cast(d.due_at as date);
early(d) := cast(d.finished_at as date) < cast(d.due_at as date);
late(d) := cast(d.finished_at as date) > cast(d.due_at as date);

-- of an open dossier at the end of `day`: past its due day, or due by the next working day
overdue_on(d, day) := cast(d.due_at as date) < day;
due_soon_on(d, day, next_working_day) := cast(d.due_at as date) >= day
    and cast(d.due_at as date) <= next_working_day;
