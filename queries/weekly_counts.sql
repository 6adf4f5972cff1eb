-- Weekly counts per commune for rate trends and the "will we make it" forecast: week 0 is the
-- 7 days ending $date_to, week 1 the 7 days before, ... up to $weeks - 1, added up from the daily
-- rollups (received by day(received_at), resolved by day(finished_at), as in kpi_counts.sql).
-- $commune: null for every commune of the province.
with params as (
    select
        cast($date_to as date) as date_to,
        cast($date_to as date) - cast(7 * $weeks - 1 as integer) as date_from
),

received as (
    select
        r.commune_code,
        date_diff('day', r.day, pr.date_to) // 7 as week,
        sum(columns(r.* exclude (province_code, commune_code, procedure_code, day)))
    from rollup_received as r
    cross join params as pr
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and r.day between pr.date_from and pr.date_to
    group by all
),

resolved as (
    select
        r.commune_code,
        date_diff('day', r.day, pr.date_to) // 7 as week,
        sum(columns(r.* exclude (province_code, commune_code, procedure_code, day)))
    from rollup_resolved as r
    cross join params as pr
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and r.day between pr.date_from and pr.date_to
    group by all
),

final as (
    select
        coalesce(r.commune_code, v.commune_code) as commune_code,
        coalesce(r.week, v.week) as week,
        cast(coalesce(columns(r.* exclude (commune_code, week)), 0) as bigint),
        cast(coalesce(columns(v.* exclude (commune_code, week)), 0) as bigint)
    from received as r
    full outer join resolved as v
        on v.commune_code = r.commune_code and v.week = r.week
)

select * from final
order by commune_code, week
