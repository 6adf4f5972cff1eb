-- What each snapshot after $since changed ("inserted_into_table:12,deleted_from_table:7,..."), in
-- order (IOC_STORE=ducklake only; run on mirror.catalog_connection: PostgreSQL filters the rows,
-- where lake.snapshots() would read every snapshot kept).
select changes_made
from ducklake_snapshot_changes
where snapshot_id > $since
order by snapshot_id
