-- Audit records between two days, newest first; each other filter is skipped when null.
-- $username matches a part of the name, case-insensitively (bound, never spliced into the SQL).
with filtered as (
    select
        a.logged_at,
        a.username,
        a.action,
        a.commune_code,
        c.commune_name,
        a.detail
    from audit_log as a
    left join communes as c on c.commune_code = a.commune_code
    where cast(a.logged_at as date) between cast($date_from as date) and cast($date_to as date)
        and ($username is null or contains(lower(a.username), lower($username)))
        and ($action is null or a.action = $action)
        and ($commune is null or a.commune_code = $commune)
),

final as (
    select
        logged_at,
        username,
        action,
        commune_code,
        commune_name,
        detail
    from filtered
)

select * from final
order by logged_at desc
limit $limit
