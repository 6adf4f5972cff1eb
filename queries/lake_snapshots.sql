-- The DuckLake's snapshots (IOC_STORE=ducklake only; the lake is attached as `lake`, ioc/lake.py):
-- one per commit; an import's carries its run id as commit message. Time is UTC (timestamptz).
select
    snapshot_id,
    snapshot_time,
    commit_message,
    changes
from lake.snapshots()
order by snapshot_id
