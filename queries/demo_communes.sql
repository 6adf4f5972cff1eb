-- The communes the demo generator fills: one province ($province) or all of them ($province null),
-- with their cell geometry and the province name without its "Thành phố"/"Tỉnh" prefix (for
-- parcel addresses).
with picked as (
    select
        commune_code,
        commune_name,
        province_code,
        coalesce(province_name, '') as province_name,
        coalesce(commune_type, '') = 'phường' as is_urban,
        lat,
        lon,
        geometry
    from communes
    where $province is null or province_code = $province
),

final as (
    select
        commune_code,
        commune_name,
        province_code,
        regexp_replace(province_name, '^(Thành phố|Tỉnh)\s+', '') as province_short,
        is_urban,
        lat,
        lon,
        geometry
    from picked
    order by commune_code
)

select * from final
