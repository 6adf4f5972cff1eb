-- Targets in force on each day of $on_dates (a list; `position` is the day's place in it, from 0),
-- one row per day, metric and scope ('city' or a commune_code); among rows of the same metric and
-- scope the latest effective_from wins. ioc/kpi.py lets a commune row beat the city row.
select
    d.ordinal - 1 as position,
    t.metric,
    t.scope,
    arg_max(t.target, t.effective_from) as target
from targets as t,
    unnest(cast($on_dates as date[])) with ordinality as d (on_date, ordinal)
where t.effective_from <= d.on_date
    and (t.effective_to is null or t.effective_to >= d.on_date)
group by d.ordinal, t.metric, t.scope
order by position, t.metric, t.scope
