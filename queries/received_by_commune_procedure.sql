-- Received, online and end-to-end dossiers (kpi.md) per commune and procedure over a period, from
-- the daily rollup: the shares behind "what would lift the score most".
with final as (
    select
        commune_code,
        procedure_code,
        cast(sum(received) as bigint) as received,
        cast(sum(received_online) as bigint) as received_online,
        cast(sum(received_end_to_end) as bigint) as received_end_to_end
    from rollup_received
    where province_code = $province
        and day between cast($date_from as date) and cast($date_to as date)
    group by all
)

select * from final
order by commune_code, procedure_code
