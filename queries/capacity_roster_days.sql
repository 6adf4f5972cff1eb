-- Officer-days of each officer at each commune and desk over the days of $workdays (a list of
-- working days): the sum over those days of the time_share of the officer's roster rows in force
-- (docs/capacity.md officer_days). $province / $commune: null = all.
with days as (
    select unnest(cast($workdays as date[])) as day
),

final as (
    select
        r.commune_code,
        r.officer_id,
        r.desk,
        max(r.officer_masked) as officer_masked,
        max(r.seconded_from) as seconded_from,
        sum(r.time_share) as officer_days
    from staff_roster as r
    inner join communes as c on r.commune_code = c.commune_code
    inner join days as d
        on d.day >= r.from_date
        and (r.to_date is null or d.day <= r.to_date)
    where ($province is null or c.province_code = $province)
        and ($commune is null or r.commune_code = $commune)
    group by r.commune_code, r.officer_id, r.desk
)

select * from final
