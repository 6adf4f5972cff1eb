-- Officers on duty per commune and day of $days (a list): the sum of the time_share of the roster
-- rows in force, and of officers x time_share of the secondments in force (docs/capacity.md).
-- Communes with neither are left out. $province / $commune: null = all.
with days as (
    select unnest(cast($days as date[])) as day
),

rostered as (
    select
        r.commune_code,
        d.day,
        sum(r.time_share) as officers
    from staff_roster as r
    inner join days as d
        on d.day >= r.from_date
        and (r.to_date is null or d.day <= r.to_date)
    group by r.commune_code, d.day
),

seconded as (
    select
        s.commune_code,
        d.day,
        sum(s.officers * s.time_share) as officers
    from secondments as s
    inner join days as d
        on d.day between s.from_date and s.to_date
    group by s.commune_code, d.day
),

final as (
    select
        o.commune_code,
        o.day,
        sum(o.officers) as officers
    from (
        select * from rostered
        union all
        select * from seconded
    ) as o
    inner join communes as c on o.commune_code = c.commune_code
    where ($province is null or c.province_code = $province)
        and ($commune is null or o.commune_code = $commune)
    group by o.commune_code, o.day
)

select * from final
