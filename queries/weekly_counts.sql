-- Weekly counts per commune for rate trends and the "will we make it" forecast: week 0 is the
-- 7 days ending $date_to, week 1 the 7 days before, ... up to $weeks - 1. Received counts follow
-- day(received_at), resolved counts day(finished_at), as in kpi_counts.sql.
-- $commune: null for every commune of the province.
with params as (
    select
        cast($date_to as date) as date_to,
        cast($date_to as date) - cast(7 * $weeks - 1 as integer) as date_from
),

scoped as (
    select
        d.commune_code,
        d.status,
        d.channel,
        d.service_level,
        d.has_fee,
        d.paid_online,
        d.digitized,
        cast(d.received_at as date) as received_day,
        cast(d.finished_at as date) as finished_day,
        cast(d.due_at as date) as due_day
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    cross join params as pr
    where c.province_code = $province
        and ($commune is null or d.commune_code = $commune)
        -- only rows received or finished in the weeks counted: spares the whole history
        and (
            d.received_at >= cast(pr.date_from as timestamp)
            or d.finished_at >= cast(pr.date_from as timestamp)
        )
),

received as (
    select
        s.commune_code,
        date_diff('day', s.received_day, pr.date_to) // 7 as week,
        count(*) as received,
        count(*) filter (where s.channel = 'online') as received_online,
        count(*) filter (
            where s.channel = 'online' and s.service_level = 'full'
        ) as received_end_to_end,
        count(*) filter (where s.service_level = 'full') as received_full_level,
        count(*) filter (where s.has_fee) as received_with_fee,
        count(*) filter (where s.has_fee and s.paid_online) as received_paid_online,
        count(*) filter (where s.digitized) as received_digitized
    from scoped as s
    cross join params as pr
    where s.received_day between pr.date_from and pr.date_to
        and s.status not in ('registered', 'rejected')
    group by all
),

resolved as (
    select
        s.commune_code,
        date_diff('day', s.finished_day, pr.date_to) // 7 as week,
        count(*) as resolved,
        count(*) filter (
            where s.due_day is null or s.finished_day <= s.due_day
        ) as resolved_on_time
    from scoped as s
    cross join params as pr
    where s.finished_day between pr.date_from and pr.date_to
        and s.status in ('finished', 'returned')
    group by all
),

final as (
    select
        coalesce(r.commune_code, v.commune_code) as commune_code,
        coalesce(r.week, v.week) as week,
        coalesce(r.received, 0) as received,
        coalesce(r.received_online, 0) as received_online,
        coalesce(r.received_end_to_end, 0) as received_end_to_end,
        coalesce(r.received_full_level, 0) as received_full_level,
        coalesce(r.received_with_fee, 0) as received_with_fee,
        coalesce(r.received_paid_online, 0) as received_paid_online,
        coalesce(r.received_digitized, 0) as received_digitized,
        coalesce(v.resolved, 0) as resolved,
        coalesce(v.resolved_on_time, 0) as resolved_on_time
    from received as r
    full outer join resolved as v
        on v.commune_code = r.commune_code and v.week = r.week
)

select * from final
order by commune_code, week
