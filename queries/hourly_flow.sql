-- Received and resolved dossiers per clock hour (kpi.md "real-time processing rate") on $day and
-- on the same weekday of the 4 weeks before it (weeks_back 0 = $day, 1..4 = the weeks before),
-- for usual_per_hour. Nothing after $as_of is counted. $commune: null for the whole province.
with params as (
    select
        cast($day as date) as day,
        cast($as_of as timestamp) as as_of,
        cast($day as date) - interval 28 day as window_start
),

scoped as (
    select
        d.received_at,
        d.finished_at,
        d.status
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    cross join params as pr
    where c.province_code = $province
        and ($commune is null or d.commune_code = $commune)
        -- only rows with an event in the window: spares the whole history
        and (d.received_at >= pr.window_start or d.finished_at >= pr.window_start)
),

events as (
    select
        s.received_at as event_at,
        1 as is_received,
        0 as is_resolved
    from scoped as s
    cross join params as pr
    where s.status not in ('registered', 'rejected')
        and s.received_at >= pr.window_start
        and s.received_at < pr.day + interval 1 day
        and s.received_at <= pr.as_of
    union all
    select
        s.finished_at as event_at,
        0 as is_received,
        1 as is_resolved
    from scoped as s
    cross join params as pr
    where s.status in ('finished', 'returned')
        and s.finished_at >= pr.window_start
        and s.finished_at < pr.day + interval 1 day
        and s.finished_at <= pr.as_of
),

dated as (
    select
        date_diff('day', cast(e.event_at as date), pr.day) as days_back,
        hour(e.event_at) as hour,
        e.is_received,
        e.is_resolved
    from events as e
    cross join params as pr
),

final as (
    select
        days_back // 7 as weeks_back,
        hour,
        count(*) filter (where is_received = 1) as received,
        count(*) filter (where is_resolved = 1) as resolved
    from dated
    where days_back % 7 = 0
    group by all
)

select * from final
order by weeks_back, hour
