-- kpi.md's median_days_to_resolve per group (same $grain keys as kpi_counts.sql): a median does not
-- add up from daily rollups, so it is taken over the dossiers resolved in the period.
with scoped as (
    select
        d.commune_code,
        d.procedure_code,
        p.field_name,
        epoch(d.finished_at - d.received_at) / 86400.0 as days_to_resolve
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    left join procedures as p on p.procedure_code = d.procedure_code
    where c.province_code = $province
        and ($commune is null or d.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        and @resolved(d)
        -- on the raw timestamps first, so zone maps can skip blocks
        and d.finished_at >= cast($date_from as timestamp)
        and d.finished_at < cast($date_to as timestamp) + interval 1 day
        and cast(d.finished_at as date) between cast($date_from as date) and cast($date_to as date)
),

final as (
    select
        case $grain
            when 'commune' then commune_code
            when 'procedure' then procedure_code
            when 'field' then coalesce(field_name, '?')
            else 'city'
        end as group_key,
        median(days_to_resolve) as median_days_to_resolve
    from scoped
    group by all
)

select * from final
order by group_key
