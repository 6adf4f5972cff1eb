-- Rollup of kpi.md's received counts per commune, procedure and day(received_at), for the communes
-- being refreshed ($everything, or the codes in $communes). The definition of "received" and its
-- parts lives here; queries over rollup_received only add the days of their period up.
insert into rollup_received
with scoped as (
    select
        c.province_code,
        d.commune_code,
        d.procedure_code,
        cast(d.received_at as date) as day,
        d.channel,
        d.service_level,
        d.has_fee,
        d.paid_online,
        d.digitized
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    where ($everything or list_contains($communes, d.commune_code))
        and @received(d)
),

final as (
    select
        province_code,
        commune_code,
        procedure_code,
        day,
        count(*) as received,
        count(*) filter (where channel = 'online') as received_online,
        count(*) filter (
            where channel = 'online' and service_level = 'full'
        ) as received_end_to_end,
        count(*) filter (where service_level = 'full') as received_full_level,
        count(*) filter (where has_fee) as received_with_fee,
        count(*) filter (where has_fee and paid_online) as received_paid_online,
        count(*) filter (where digitized) as received_digitized,
        count(*) filter (where channel = 'postal') as received_postal
    from scoped
    group by all
)

select * from final
order by province_code, day
