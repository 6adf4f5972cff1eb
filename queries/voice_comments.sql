-- The masked comments behind the dissatisfaction: ratings "not satisfied" (overall or of a
-- criterion) given in the period that carry a comment, newest first. Citizens' text: the caller
-- passes the commune its Scope allows ($commune null: every commune of $province).
with final as (
    select
        r.rated_at,
        r.commune_code,
        c.commune_name,
        r.procedure_code,
        coalesce(p.procedure_name, r.procedure_code) as procedure_name,
        r.criterion,
        r.comment_masked
    from dossier_ratings as r
    inner join communes as c on c.commune_code = r.commune_code
    left join procedures as p on p.procedure_code = r.procedure_code
    where c.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and r.level = 'not_satisfied'
        and r.comment_masked is not null
        and cast(r.rated_at as date) between $date_from and $date_to
)

select * from final
order by rated_at desc, procedure_code
limit $limit
