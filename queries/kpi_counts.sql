-- Counts behind every KPI of kpi.md, per group. Rates, score and rank are derived from these
-- counts in ioc/kpi.py (one implementation), so every grain gives figures that add up.
-- $grain: 'city' | 'commune' | 'procedure' | 'field' | 'commune_procedure' (an allowlisted value,
-- not an identifier; 'commune_procedure' keys are commune_code || '|' || procedure_code).
-- $commune / $field: null for all. $due_soon_until: next working day after day(as_of).
with params as (
    select
        cast($date_from as date) as date_from,
        cast($date_to as date) as date_to,
        cast($as_of as timestamp) as as_of,
        cast($due_soon_until as date) as due_soon_until
),

scoped as (
    select
        d.*,
        p.field_name,
        cast(d.received_at as date) as received_day,
        cast(d.finished_at as date) as finished_day,
        cast(d.due_at as date) as due_day
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    left join procedures as p on p.procedure_code = d.procedure_code
    where c.province_code = $province
        and ($commune is null or d.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        -- Rows finished before the period can be none of received, resolved or open: dropping
        -- them here (on the raw timestamps, so zone maps can skip blocks) leaves every count
        -- unchanged and spares the work on the whole history.
        and (
            d.finished_at is null
            or d.finished_at >= cast($date_from as timestamp)
            or d.received_at >= cast($date_from as timestamp)
        )
),

flags as (
    select
        case $grain
            when 'commune' then s.commune_code
            when 'procedure' then s.procedure_code
            when 'field' then coalesce(s.field_name, '?')
            when 'commune_procedure' then s.commune_code || '|' || s.procedure_code
            else 'city'
        end as group_key,
        s.received_day between pr.date_from and pr.date_to
            and s.status not in ('registered', 'rejected') as is_received,
        s.status in ('finished', 'returned')
            and s.finished_day between pr.date_from and pr.date_to as is_resolved,
        s.received_day <= pr.date_to
            and s.status not in ('registered', 'rejected', 'withdrawn', 'stopped')
            and (s.finished_at is null or s.finished_day > pr.date_to) as is_open,
        s.channel,
        s.service_level,
        s.paid_online,
        s.has_fee,
        s.digitized,
        s.due_day,
        s.finished_day,
        s.received_at,
        s.finished_at,
        pr.as_of,
        pr.due_soon_until
    from scoped as s
    cross join params as pr
    where s.received_day <= pr.date_to
),

final as (
    select
        group_key,
        count(*) filter (where is_received) as received,
        count(*) filter (where is_received and channel = 'online') as received_online,
        count(*) filter (
            where is_received and channel = 'online' and service_level = 'full'
        ) as received_end_to_end,
        count(*) filter (where is_received and service_level = 'full') as received_full_level,
        count(*) filter (where is_received and has_fee) as received_with_fee,
        count(*) filter (where is_received and has_fee and paid_online) as received_paid_online,
        count(*) filter (where is_received and digitized) as received_digitized,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (
            where is_resolved and (due_day is null or finished_day <= due_day)
        ) as resolved_on_time,
        count(*) filter (where is_resolved and finished_day < due_day) as resolved_early,
        count(*) filter (where is_resolved and finished_day > due_day) as resolved_late,
        count(*) filter (where is_resolved and due_day is null) as no_due_date,
        count(*) filter (where is_open) as open_at_end,
        count(*) filter (
            where is_open and due_day < cast(as_of as date)
        ) as open_overdue,
        count(*) filter (
            where is_open and due_day >= cast(as_of as date) and due_day <= due_soon_until
        ) as open_due_soon,
        median(epoch(finished_at - received_at) / 86400.0) filter (
            where is_resolved
        ) as median_days_to_resolve
    from flags
    group by group_key
)

select * from final
order by group_key
