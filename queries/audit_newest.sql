-- The time of the newest audit record (null when the log is empty).
select max(logged_at) as newest
from audit_log
