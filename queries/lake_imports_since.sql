-- The imports that inserted or changed dossiers of $commune (of every commune when null) after
-- snapshot $since, up to snapshot $until (IOC_STORE=ducklake only; the lake is attached as `lake`,
-- ioc/lake.py): DuckLake's table_changes read per snapshot, and the import run each snapshot is
-- labelled with (its commit message is the run id, store.transaction). Only on the lake: the file
-- keeps no history.
with changed as (
    select
        snapshot_id,
        count(*) filter (where change_type = 'insert') as inserted,
        count(*) filter (where change_type = 'update_postimage') as updated
    from lake.table_changes('dossiers', $since + 1, $until)
    where $commune is null or commune_code = $commune
    group by snapshot_id
)

select
    changed.snapshot_id,
    snaps.snapshot_time,
    runs.run_id,
    runs.source_file,
    changed.inserted,
    changed.updated
from changed
inner join lake.snapshots() as snaps on changed.snapshot_id = snaps.snapshot_id
left join ingest_runs as runs on snaps.commit_message = runs.run_id
order by changed.snapshot_id
