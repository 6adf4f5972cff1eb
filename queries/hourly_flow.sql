-- Received and resolved dossiers per clock hour (kpi.md "real-time processing rate") on $day and
-- on the same weekday of the 4 weeks before it (weeks_back 0 = $day, 1..4 = the weeks before),
-- for usual_per_hour, from the hourly rollup; hours after the one $as_of is in are left out.
-- last_event_at is the latest event of each hour: when the hour $as_of is in holds events after
-- $as_of (a store replayed to a past moment), kpi.hourly_flow counts that hour again from the
-- dossiers (queries/hourly_flow_this_hour.sql); otherwise the rollup's row is the hour so far, and
-- the dossiers are not read at all. $commune: null for the whole province.
with days as (
    select
        cast($day as date) - cast(7 * weeks_back as integer) as day,
        weeks_back
    from range(0, 5) as t(weeks_back)
),

final as (
    select
        d.weeks_back,
        r.hour,
        cast(sum(r.received) as bigint) as received,
        cast(sum(r.resolved) as bigint) as resolved,
        max(r.last_event_at) as last_event_at
    from rollup_hourly as r
    inner join days as d on d.day = r.day
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and r.day between cast($day as date) - 28 and cast($day as date)
        and (
            r.day < cast($as_of as date)
            or r.hour <= hour(cast($as_of as timestamp))
        )
    group by all
)

select * from final
order by weeks_back, hour
