-- Old (pre-2025) ward names and the new commune each went into, for matching export values.
with old_wards as (
    select
        o.old_ward,
        o.commune_code,
        coalesce(o.is_split, false) as is_split
    from old_units as o
    inner join communes as c on c.commune_code = o.commune_code
    where o.old_ward is not null
        and ($province is null or c.province_code = $province)
),

final as (
    select
        old_ward,
        commune_code,
        is_split
    from old_wards
)

select * from final
