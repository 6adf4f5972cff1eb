-- The DuckLake snapshot this connection reads (IOC_STORE=ducklake only; ioc/lake.py).
select id as snapshot_id
from lake.current_snapshot()
