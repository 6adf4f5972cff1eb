-- The last snapshot of the lake at or before $at (a timestamptz), null when there is none
-- (IOC_STORE=ducklake only; ioc/history.py): the store as it stood at that moment.
select max(snapshot_id) as snapshot_id
from lake.snapshots()
where snapshot_time <= $at
