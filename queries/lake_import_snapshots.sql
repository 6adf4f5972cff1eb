-- The snapshots of the imports that landed rows (IOC_STORE=ducklake only; the lake is attached as
-- `lake`, ioc/lake.py), taken from $since (a timestamptz: the retention's start) and before
-- snapshot $before (the one read now), newest first, at most $limit: the past moments a page
-- offers (ioc/history.py). An import's snapshot carries its run id as commit message.
select
    snaps.snapshot_id,
    snaps.snapshot_time,
    runs.run_id,
    runs.source_file
from lake.snapshots() as snaps
inner join ingest_runs as runs on snaps.commit_message = runs.run_id
where
    runs.status = 'ok'
    and snaps.snapshot_time >= $since
    and snaps.snapshot_id < $before
order by snaps.snapshot_id desc
limit $limit
