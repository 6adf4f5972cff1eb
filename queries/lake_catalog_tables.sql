-- The lake's tables now, with the ids its snapshots name them by (IOC_STORE=ducklake only; run on
-- a connection whose default schema is the lake's catalog tables: mirror.catalog_connection).
select table_name, table_id
from ducklake_table
where end_snapshot is null
order by table_name
