-- First and last day with a received dossier, and the provinces of the catalogue: the span and
-- groups over which a backup records every commune's KPIs.
with days as (
    select
        min(cast(received_at as date)) as first_day,
        max(cast(received_at as date)) as last_day
    from dossiers
),

provinces as (
    select list(distinct province_code order by province_code) as province_codes
    from communes
    where province_code is not null
),

final as (
    select
        d.first_day,
        d.last_day,
        coalesce(p.province_codes, []) as province_codes
    from days as d
    cross join provinces as p
)

select * from final
