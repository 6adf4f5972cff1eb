-- Audit records logged after $after (all of them when $after is null), oldest first: the entries a
-- restore carries over from the store it replaces into the restored one (ioc/backup.py).
select
    logged_at,
    username,
    action,
    commune_code,
    detail
from audit_log
where $after is null or logged_at > cast($after as timestamp)
order by logged_at
