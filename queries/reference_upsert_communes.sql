-- The communes of the packages (frame ref_communes) into the store; a boundary loaded from a file
-- (geometry_source 'file') is kept rather than replaced by the approximate cell.
insert into communes (
    commune_code,
    commune_name,
    commune_type,
    province_code,
    province_name,
    lat,
    lon,
    area_km2,
    geometry,
    geometry_source
)
with final as (
    select
        commune_code,
        commune_name,
        commune_type,
        province_code,
        province_name,
        lat,
        lon,
        area_km2,
        geometry,
        geometry_source
    from ref_communes
)

select * from final
on conflict (commune_code) do update set
    commune_name = excluded.commune_name,
    commune_type = excluded.commune_type,
    province_code = excluded.province_code,
    province_name = excluded.province_name,
    lat = excluded.lat,
    lon = excluded.lon,
    area_km2 = excluded.area_km2,
    geometry = case
        when geometry_source = 'file' then geometry
        else excluded.geometry
    end,
    geometry_source = case
        when geometry_source = 'file' then geometry_source
        else excluded.geometry_source
    end
