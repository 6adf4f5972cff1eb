-- Received and resolved dossiers per clock hour (kpi.md "real-time processing rate") on $day and
-- on the same weekday of the 4 weeks before it (weeks_back 0 = $day, 1..4 = the weeks before),
-- for usual_per_hour. Nothing after $as_of is counted: whole hours come from the hourly rollup,
-- the hour $as_of is in from the dossiers up to $as_of (a plain timestamp range, so zone maps skip
-- the history). $commune: null for the whole province.
with days as (
    select
        cast($day as date) - cast(7 * weeks_back as integer) as day,
        weeks_back
    from range(0, 5) as t(weeks_back)
),

whole_hours as (
    select
        d.weeks_back,
        r.hour,
        r.received,
        r.resolved
    from rollup_hourly as r
    inner join days as d on d.day = r.day
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and r.day between cast($day as date) - 28 and cast($day as date)
        and (
            r.day < cast($as_of as date)
            or r.hour < hour(cast($as_of as timestamp))
        )
),

province_communes as (
    select commune_code
    from communes
    where province_code = $province
        and ($commune is null or commune_code = $commune)
),

this_hour as (
    select
        0 as weeks_back,
        hour(cast($as_of as timestamp)) as hour,
        1 as received,
        0 as resolved
    from dossiers as d
    semi join province_communes as c on c.commune_code = d.commune_code
    where cast($as_of as date) = cast($day as date)
        and d.received_at >= date_trunc('hour', cast($as_of as timestamp))
        and d.received_at <= cast($as_of as timestamp)
        and @received(d)
    union all
    select
        0 as weeks_back,
        hour(cast($as_of as timestamp)) as hour,
        0 as received,
        1 as resolved
    from dossiers as d
    semi join province_communes as c on c.commune_code = d.commune_code
    where cast($as_of as date) = cast($day as date)
        and d.finished_at >= date_trunc('hour', cast($as_of as timestamp))
        and d.finished_at <= cast($as_of as timestamp)
        and @resolved(d)
),

final as (
    select
        weeks_back,
        hour,
        cast(sum(received) as bigint) as received,
        cast(sum(resolved) as bigint) as resolved
    from (
        select * from whole_hours
        union all
        select * from this_hour
    )
    group by all
)

select * from final
order by weeks_back, hour
