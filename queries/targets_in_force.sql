-- Targets in force on $on_date, one row per metric and scope ('city' or a commune_code); among rows
-- of the same metric and scope the latest effective_from wins. ioc/kpi.py lets a commune row beat
-- the city row.
with candidates as (
    select
        metric,
        scope,
        target,
        effective_from
    from targets
    where effective_from <= cast($on_date as date)
        and (effective_to is null or effective_to >= cast($on_date as date))
),

final as (
    select
        metric,
        scope,
        target
    from candidates
    qualify row_number() over (
        partition by metric, scope order by effective_from desc
    ) = 1
)

select * from final
order by metric, scope
