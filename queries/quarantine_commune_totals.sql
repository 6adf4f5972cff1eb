-- Received, received online and open dossiers (kpi.md, up to day $today) of some communes, from
-- the rollups: the figures a retry reports the change of.
with received as (
    select
        commune_code,
        sum(received) as received,
        sum(received_online) as received_online
    from rollup_received
    where list_contains($communes, commune_code)
    group by commune_code
),

open_now as (
    select
        commune_code,
        sum(open_change) as open_at_end
    from rollup_open_commune
    where list_contains($communes, commune_code)
        and day <= $today
    group by commune_code
),

final as (
    select
        c.commune_code,
        c.commune_name,
        coalesce(r.received, 0) as received,
        coalesce(r.received_online, 0) as received_online,
        coalesce(o.open_at_end, 0) as open_at_end
    from communes as c
    left join received as r on r.commune_code = c.commune_code
    left join open_now as o on o.commune_code = c.commune_code
    where list_contains($communes, c.commune_code)
)

select * from final
order by commune_code
