-- Per commune: received and resolved in [$date_from, $date_to] (kpi.md), open_at_end and
-- open_overdue at the end of $date_to, from the rollups. $province / $commune: null = all.
with received as (
    select
        commune_code,
        cast(sum(received) as bigint) as received
    from rollup_received
    where day between $date_from and $date_to
    group by commune_code
),

resolved as (
    select
        commune_code,
        cast(sum(resolved) as bigint) as resolved,
        cast(sum(resolved_on_time) as bigint) as resolved_on_time
    from rollup_resolved
    where day between $date_from and $date_to
    group by commune_code
),

still_open as (
    select
        commune_code,
        cast(sum(open_change) as bigint) as open_at_end,
        cast(sum(overdue_change) as bigint) as open_overdue
    from rollup_open_commune
    where day <= $date_to
    group by commune_code
),

final as (
    select
        c.commune_code,
        c.commune_name,
        coalesce(r.received, 0) as received,
        coalesce(s.resolved, 0) as resolved,
        coalesce(s.resolved_on_time, 0) as resolved_on_time,
        coalesce(o.open_at_end, 0) as open_at_end,
        coalesce(o.open_overdue, 0) as open_overdue
    from communes as c
    left join received as r on c.commune_code = r.commune_code
    left join resolved as s on c.commune_code = s.commune_code
    left join still_open as o on c.commune_code = o.commune_code
    where ($province is null or c.province_code = $province)
        and ($commune is null or c.commune_code = $commune)
)

select * from final
order by commune_code
