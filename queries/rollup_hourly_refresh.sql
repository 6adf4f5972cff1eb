-- Rollup of kpi.md's received_per_hour and resolved_per_hour per commune, day and clock hour, for
-- the communes being refreshed ($everything, or the codes in $communes). last_event_at, the latest
-- event of the hour, tells queries/hourly_flow.sql whether the hour holds events after its $as_of.
insert into rollup_hourly
with events as (
    select
        c.province_code,
        d.commune_code,
        d.received_at as event_at,
        1 as is_received,
        0 as is_resolved
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    where ($everything or list_contains($communes, d.commune_code))
        and @received(d)
    union all
    select
        c.province_code,
        d.commune_code,
        d.finished_at as event_at,
        0 as is_received,
        1 as is_resolved
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    where ($everything or list_contains($communes, d.commune_code))
        and @resolved(d)
),

final as (
    select
        province_code,
        commune_code,
        cast(event_at as date) as day,
        hour(event_at) as hour,
        sum(is_received) as received,
        sum(is_resolved) as resolved,
        max(event_at) as last_event_at
    from events
    group by all
)

select * from final
order by province_code, day
