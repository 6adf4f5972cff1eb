-- Per commune and statutory time (whole working days, rounded up; 0 = the same day): the dossiers
-- received in [$date_from, $date_to], for the due days of the queue projection's arrivals (their
-- mix). $province / $commune: null = all.
with final as (
    select
        r.commune_code,
        cast(ceil(coalesce(p.statutory_days, 0)) as integer) as due_lag,
        cast(sum(r.received) as bigint) as received
    from rollup_received as r
    inner join procedures as p on r.procedure_code = p.procedure_code
    inner join communes as c on r.commune_code = c.commune_code
    where r.day between $date_from and $date_to
        and ($province is null or c.province_code = $province)
        and ($commune is null or r.commune_code = $commune)
    group by r.commune_code, cast(ceil(coalesce(p.statutory_days, 0)) as integer)
)

select * from final
