-- Received dossiers per day of receipt (kpi.md "received" and its online / end-to-end parts), for
-- the daily trend of the online and end-to-end rates, from the daily rollup. $commune / $field:
-- null for all.
with scoped as (
    select
        r.day,
        r.received,
        r.received_online,
        r.received_end_to_end
    from rollup_received as r
    left join procedures as p on p.procedure_code = r.procedure_code
    where r.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        and r.day between cast($date_from as date) and cast($date_to as date)
),

final as (
    select
        day,
        cast(sum(received) as bigint) as received,
        cast(sum(received_online) as bigint) as received_online,
        cast(sum(received_end_to_end) as bigint) as received_end_to_end
    from scoped
    group by day
)

select * from final
order by day
