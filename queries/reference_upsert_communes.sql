-- The communes of the packages (frame ref_communes) into the store; a boundary loaded from a file
-- (geometry_source 'file') is kept rather than replaced by the approximate cell. A MERGE on
-- commune_code rather than INSERT ... ON CONFLICT: a DuckLake store has no primary key
-- (ioc/lake.py).
merge into communes
using (
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
) as new
    on communes.commune_code = new.commune_code
when matched then update set
    commune_name = new.commune_name,
    commune_type = new.commune_type,
    province_code = new.province_code,
    province_name = new.province_name,
    lat = new.lat,
    lon = new.lon,
    area_km2 = new.area_km2,
    geometry = case
        when communes.geometry_source = 'file' then communes.geometry
        else new.geometry
    end,
    geometry_source = case
        when communes.geometry_source = 'file' then communes.geometry_source
        else new.geometry_source
    end
when not matched then insert (
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
) values (
    new.commune_code,
    new.commune_name,
    new.commune_type,
    new.province_code,
    new.province_name,
    new.lat,
    new.lon,
    new.area_km2,
    new.geometry,
    new.geometry_source
)
