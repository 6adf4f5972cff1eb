-- Counts behind every KPI of kpi.md, per period and group, added up from the rollups (their
-- definitions are in queries/rollup_*_refresh.sql; every count column of rollup_received and
-- rollup_resolved is added up here as it comes, so a new count needs no edit of this file). Rates,
-- score and rank are derived from these counts in ioc/kpi.py (one implementation, from the metric
-- registry ioc/metrics.py), so every grain gives figures that add up.
-- $date_froms / $date_tos: the periods, as two lists of the same length (a ranking asks for a
-- period and the one before it in one go); `period` is the position in those lists, from 0.
-- $grain: 'city' | 'commune' | 'procedure' | 'field' (an allowlisted value, not an identifier).
-- $commune / $field: null for all. Open counts are as of the end of each period's last day.
-- The procedures are joined only when the field is asked for (grain or filter): the planner then
-- drops the join, which is an eighth of the query's time on a province.
with periods as (
    select
        unnest(generate_series(0, len($date_froms) - 1)) as period,
        cast(unnest($date_froms) as date) as date_from,
        cast(unnest($date_tos) as date) as date_to
),

received as (
    select
        pe.period,
        case $grain
            when 'commune' then r.commune_code
            when 'procedure' then r.procedure_code
            when 'field' then coalesce(p.field_name, '?')
            else 'city'
        end as group_key,
        sum(columns(r.* exclude (province_code, commune_code, procedure_code, day)))
    from rollup_received as r
    inner join periods as pe on r.day between pe.date_from and pe.date_to
    left join procedures as p
        on ($grain = 'field' or $field is not null) and p.procedure_code = r.procedure_code
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        -- a constant range too, so zone maps skip the other days
        and r.day between cast(list_min($date_froms) as date) and cast(list_max($date_tos) as date)
    group by all
),

resolved as (
    select
        pe.period,
        case $grain
            when 'commune' then r.commune_code
            when 'procedure' then r.procedure_code
            when 'field' then coalesce(p.field_name, '?')
            else 'city'
        end as group_key,
        sum(columns(r.* exclude (province_code, commune_code, procedure_code, day)))
    from rollup_resolved as r
    inner join periods as pe on r.day between pe.date_from and pe.date_to
    left join procedures as p
        on ($grain = 'field' or $field is not null) and p.procedure_code = r.procedure_code
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        and r.day between cast(list_min($date_froms) as date) and cast(list_max($date_tos) as date)
    group by all
),

-- per procedure only when the grain or the field filter needs it: the commune sums are 20x smaller
open_changes as (
    select
        o.commune_code,
        o.procedure_code,
        o.day,
        o.open_change,
        o.overdue_change,
        o.due_soon_change
    from rollup_open as o
    where ($grain in ('procedure', 'field') or $field is not null)
        and o.province_code = $province
        and ($commune is null or o.commune_code = $commune)
        and o.day <= cast(list_max($date_tos) as date)
    union all
    select
        o.commune_code,
        null as procedure_code,
        o.day,
        o.open_change,
        o.overdue_change,
        o.due_soon_change
    from rollup_open_commune as o
    where not ($grain in ('procedure', 'field') or $field is not null)
        and o.province_code = $province
        and ($commune is null or o.commune_code = $commune)
        and o.day <= cast(list_max($date_tos) as date)
),

still_open as (
    select
        pe.period,
        case $grain
            when 'commune' then o.commune_code
            when 'procedure' then o.procedure_code
            when 'field' then coalesce(p.field_name, '?')
            else 'city'
        end as group_key,
        sum(o.open_change) as open_at_end,
        sum(o.overdue_change) as open_overdue,
        sum(o.due_soon_change) as open_due_soon
    from open_changes as o
    inner join periods as pe on o.day <= pe.date_to
    left join procedures as p
        on ($grain = 'field' or $field is not null) and p.procedure_code = o.procedure_code
    where $field is null or p.field_name = $field
    group by all
),

merged as (
    select * from received
    union all by name
    select * from resolved
    union all by name
    select * from still_open
),

final as (
    select
        period,
        group_key,
        cast(coalesce(sum(columns(* exclude (period, group_key))), 0) as bigint)
    from merged
    group by period, group_key
    -- a group with nothing received, resolved or open in the period is not a row
    having coalesce(sum(received), 0) + coalesce(sum(resolved), 0) + coalesce(sum(open_at_end), 0)
        + coalesce(sum(open_overdue), 0) + coalesce(sum(open_due_soon), 0) > 0
)

select * from final
order by period, group_key
