-- Dossiers open at the end of $day per commune and due day (null: no due date), for the queue
-- projection (ioc/capacity.py). $province / $commune: null = all.
with final as (
    select
        d.commune_code,
        cast(d.due_at as date) as due_day,
        count(*) as dossiers
    from dossiers as d
    inner join communes as c on d.commune_code = c.commune_code
    where @open_on(d, $day)
        and ($province is null or c.province_code = $province)
        and ($commune is null or d.commune_code = $commune)
    group by d.commune_code, cast(d.due_at as date)
)

select * from final
