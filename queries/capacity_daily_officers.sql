-- Officers on duty per commune and day of $days (a list): the sum of the time_share of the roster
-- rows in force, and of officers x time_share of the secondments in force (docs/capacity.md).
-- Communes with neither are left out. $province / $commune: null = all.
with rostered as (
    select
        commune_code,
        time_share as officers,
        unnest(list_filter(
            cast($days as date[]),
            day -> day >= from_date and (to_date is null or day <= to_date)
        )) as day
    from staff_roster
    where $commune is null or commune_code = $commune
),

seconded as (
    select
        commune_code,
        officers * time_share as officers,
        unnest(list_filter(
            cast($days as date[]), day -> day >= from_date and day <= to_date
        )) as day
    from secondments
    where $commune is null or commune_code = $commune
),

final as (
    select
        o.commune_code,
        o.day,
        sum(o.officers) as officers
    from (
        select commune_code, day, officers from rostered
        union all
        select commune_code, day, officers from seconded
    ) as o
    inner join communes as c on o.commune_code = c.commune_code
    where $province is null or c.province_code = $province
    group by o.commune_code, o.day
)

select * from final
