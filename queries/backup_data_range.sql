-- First and last day with a received dossier, and the provinces of the catalogue: the span and
-- groups over which a backup records every commune's KPIs. Dates outside 2000-2099 (a two-digit
-- year read as 0026, a 9999 placeholder) are left out of the span: a period reaching them cannot be
-- computed (Python dates end at 9999) and the backup must survive whatever is stored.
with days as (
    select
        min(cast(received_at as date)) as first_day,
        max(cast(received_at as date)) as last_day
    from dossiers
    where received_at >= timestamp '2000-01-01' and received_at < timestamp '2100-01-01'
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
