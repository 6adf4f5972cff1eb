-- Counts behind every KPI of kpi.md, per group, added up from the rollups (their definitions are
-- in queries/rollup_*_refresh.sql). Rates, score and rank are derived from these counts in
-- ioc/kpi.py (one implementation), so every grain gives figures that add up.
-- $grain: 'city' | 'commune' | 'procedure' | 'field' | 'commune_procedure' (an allowlisted value,
-- not an identifier; 'commune_procedure' keys are commune_code || '|' || procedure_code).
-- $commune / $field: null for all. Open counts are as of the end of $date_to.
with params as (
    select
        cast($date_from as date) as date_from,
        cast($date_to as date) as date_to,
        $grain in ('commune', 'commune_procedure') as by_commune,
        $grain in ('procedure', 'commune_procedure') as by_procedure,
        $grain = 'field' as by_field,
        $grain in ('procedure', 'field', 'commune_procedure') or $field is not null as per_procedure
),

received as (
    select
        case when pr.by_commune then r.commune_code end as commune_key,
        case when pr.by_procedure then r.procedure_code end as procedure_key,
        case when pr.by_field then coalesce(p.field_name, '?') end as field_key,
        sum(r.received) as received,
        sum(r.received_online) as received_online,
        sum(r.received_end_to_end) as received_end_to_end,
        sum(r.received_full_level) as received_full_level,
        sum(r.received_with_fee) as received_with_fee,
        sum(r.received_paid_online) as received_paid_online,
        sum(r.received_digitized) as received_digitized
    from rollup_received as r
    left join procedures as p on p.procedure_code = r.procedure_code
    cross join params as pr
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        and r.day between pr.date_from and pr.date_to
    group by all
),

resolved as (
    select
        case when pr.by_commune then r.commune_code end as commune_key,
        case when pr.by_procedure then r.procedure_code end as procedure_key,
        case when pr.by_field then coalesce(p.field_name, '?') end as field_key,
        sum(r.resolved) as resolved,
        sum(r.resolved_on_time) as resolved_on_time,
        sum(r.resolved_early) as resolved_early,
        sum(r.resolved_late) as resolved_late,
        sum(r.no_due_date) as no_due_date
    from rollup_resolved as r
    left join procedures as p on p.procedure_code = r.procedure_code
    cross join params as pr
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        and r.day between pr.date_from and pr.date_to
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
    cross join params as pr
    where pr.per_procedure
        and o.province_code = $province
        and ($commune is null or o.commune_code = $commune)
        and o.day <= pr.date_to
    union all
    select
        o.commune_code,
        null as procedure_code,
        o.day,
        o.open_change,
        o.overdue_change,
        o.due_soon_change
    from rollup_open_commune as o
    cross join params as pr
    where not pr.per_procedure
        and o.province_code = $province
        and ($commune is null or o.commune_code = $commune)
        and o.day <= pr.date_to
),

still_open as (
    select
        case when pr.by_commune then o.commune_code end as commune_key,
        case when pr.by_procedure then o.procedure_code end as procedure_key,
        case when pr.by_field then coalesce(p.field_name, '?') end as field_key,
        sum(o.open_change) as open_at_end,
        sum(o.overdue_change) as open_overdue,
        sum(o.due_soon_change) as open_due_soon
    from open_changes as o
    left join procedures as p on p.procedure_code = o.procedure_code
    cross join params as pr
    where $field is null or p.field_name = $field
    group by all
),

joined as (
    select
        coalesce(v.commune_key, s.commune_key, o.commune_key) as commune_key,
        coalesce(v.procedure_key, s.procedure_key, o.procedure_key) as procedure_key,
        coalesce(v.field_key, s.field_key, o.field_key) as field_key,
        cast(coalesce(v.received, 0) as bigint) as received,
        cast(coalesce(v.received_online, 0) as bigint) as received_online,
        cast(coalesce(v.received_end_to_end, 0) as bigint) as received_end_to_end,
        cast(coalesce(v.received_full_level, 0) as bigint) as received_full_level,
        cast(coalesce(v.received_with_fee, 0) as bigint) as received_with_fee,
        cast(coalesce(v.received_paid_online, 0) as bigint) as received_paid_online,
        cast(coalesce(v.received_digitized, 0) as bigint) as received_digitized,
        cast(coalesce(s.resolved, 0) as bigint) as resolved,
        cast(coalesce(s.resolved_on_time, 0) as bigint) as resolved_on_time,
        cast(coalesce(s.resolved_early, 0) as bigint) as resolved_early,
        cast(coalesce(s.resolved_late, 0) as bigint) as resolved_late,
        cast(coalesce(s.no_due_date, 0) as bigint) as no_due_date,
        cast(coalesce(o.open_at_end, 0) as bigint) as open_at_end,
        cast(coalesce(o.open_overdue, 0) as bigint) as open_overdue,
        cast(coalesce(o.open_due_soon, 0) as bigint) as open_due_soon
    from received as v
    full outer join resolved as s
        on s.commune_key is not distinct from v.commune_key
        and s.procedure_key is not distinct from v.procedure_key
        and s.field_key is not distinct from v.field_key
    full outer join still_open as o
        on o.commune_key is not distinct from coalesce(v.commune_key, s.commune_key)
        and o.procedure_key is not distinct from coalesce(v.procedure_key, s.procedure_key)
        and o.field_key is not distinct from coalesce(v.field_key, s.field_key)
),

final as (
    select
        case $grain
            when 'commune' then commune_key
            when 'procedure' then procedure_key
            when 'field' then field_key
            when 'commune_procedure' then commune_key || '|' || procedure_key
            else 'city'
        end as group_key,
        * exclude (commune_key, procedure_key, field_key)
    from joined
    -- a group with nothing received, resolved or open in the period is not a row
    where received + resolved + open_at_end + open_overdue + open_due_soon > 0
)

select * from final
order by group_key
