-- Targets in force on each day of $on_dates (a list; `position` is the day's place in it, from 0),
-- one row per day, metric and scope ('city' or a commune_code); among rows of the same metric and
-- scope the latest effective_from wins. ioc/kpi.py lets a commune row beat the city row.
with days as (
    select
        unnest(generate_series(0, len($on_dates) - 1)) as position,
        cast(unnest($on_dates) as date) as on_date
),

candidates as (
    select
        d.position,
        t.metric,
        t.scope,
        t.target,
        t.effective_from
    from targets as t
    inner join days as d
        on t.effective_from <= d.on_date
        and (t.effective_to is null or t.effective_to >= d.on_date)
),

final as (
    select
        position,
        metric,
        scope,
        target
    from candidates
    qualify row_number() over (
        partition by position, metric, scope order by effective_from desc
    ) = 1
)

select * from final
order by position, metric, scope
