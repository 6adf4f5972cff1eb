-- Each dossier's latest overall rating (criterion null) given in the period, per commune of the
-- province (or $commune), for the national index's 5.4 (ioc/index766.py). Read only: the table is
-- filled by the citizen's voice import (issue 18).
with overall as (
    select
        r.dossier_id,
        r.commune_code,
        r.level,
        row_number() over (partition by r.dossier_id order by r.rated_at desc, r.rating_id) as newest
    from dossier_ratings as r
    inner join communes as c on c.commune_code = r.commune_code
    where c.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and r.criterion is null
        and cast(r.rated_at as date) between $date_from and $date_to
),

final as (
    select
        commune_code,
        count(*) as rated,
        count(*) filter (where level = 'not_satisfied') as not_satisfied
    from overall
    where newest = 1
    group by commune_code
)

select * from final
