-- Officer-days of each officer at each commune and desk over the days of $workdays (a list of
-- working days): the sum over those days of the time_share of the officer's roster rows in force
-- (docs/capacity.md officer_days). $province / $commune: null = all.
with per_row as (
    select
        r.commune_code,
        r.officer_id,
        r.desk,
        r.officer_masked,
        r.seconded_from,
        r.time_share * len(list_filter(
            cast($workdays as date[]),
            day -> day >= r.from_date and (r.to_date is null or day <= r.to_date)
        )) as officer_days
    from staff_roster as r
    where $commune is null or r.commune_code = $commune
),

final as (
    select
        p.commune_code,
        p.officer_id,
        p.desk,
        max(p.officer_masked) as officer_masked,
        max(p.seconded_from) as seconded_from,
        sum(p.officer_days) as officer_days
    from per_row as p
    inner join communes as c on p.commune_code = c.commune_code
    where $province is null or c.province_code = $province
    group by p.commune_code, p.officer_id, p.desk
    having sum(p.officer_days) > 0
)

select * from final
