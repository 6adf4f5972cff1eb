-- Rollup of kpi.md's resolved counts per commune, procedure and day(finished_at), for the communes
-- being refreshed ($everything, or the codes in $communes). Dates are compared by calendar day.
insert into rollup_resolved
with scoped as (
    select
        c.province_code,
        d.commune_code,
        d.procedure_code,
        cast(d.finished_at as date) as day,
        d.finished_at,
        d.due_at
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    where ($everything or list_contains($communes, d.commune_code))
        and @resolved(d)
),

final as (
    select
        province_code,
        commune_code,
        procedure_code,
        day,
        count(*) as resolved,
        count(*) filter (where @on_time(s)) as resolved_on_time,
        count(*) filter (where @early(s)) as resolved_early,
        count(*) filter (where @late(s)) as resolved_late,
        count(*) filter (where s.due_at is null) as no_due_date
    from scoped as s
    group by all
)

select * from final
order by province_code, day
