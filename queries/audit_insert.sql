-- Append one audit record (ioc/audit.py record()).
insert into audit_log (
    logged_at,
    username,
    action,
    commune_code,
    detail
)
select
    cast($logged_at as timestamp),
    $username,
    $action,
    $commune,
    $detail
