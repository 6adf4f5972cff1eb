-- Received dossiers per day of receipt (kpi.md "received" and its online / end-to-end parts), for
-- the daily trend of the online and end-to-end rates. $commune / $field: null for all.
with scoped as (
    select
        cast(d.received_at as date) as day,
        d.channel,
        d.service_level
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    left join procedures as p on p.procedure_code = d.procedure_code
    where c.province_code = $province
        and ($commune is null or d.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        and cast(d.received_at as date) between cast($date_from as date) and cast($date_to as date)
        and d.status not in ('registered', 'rejected')
),

final as (
    select
        day,
        count(*) as received,
        count(*) filter (where channel = 'online') as received_online,
        count(*) filter (
            where channel = 'online' and service_level = 'full'
        ) as received_end_to_end
    from scoped
    group by day
)

select * from final
order by day
