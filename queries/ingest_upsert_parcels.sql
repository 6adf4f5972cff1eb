-- Parcels of a land file (ingest_land_batch), keyed by commune + map sheet + parcel number. New
-- parcels are appended grouped by commune: the land map's commune view then reads few row groups.
-- A MERGE on parcel_id rather than INSERT ... ON CONFLICT: a DuckLake store has no primary key
-- (ioc/lake.py), and one statement serves both stores.
merge into parcels
using (
    select
        parcel_id,
        commune_code,
        map_sheet,
        parcel_no,
        area_m2,
        land_use_code,
        address,
        lon,
        lat,
        geometry
    from ingest_land_batch
    order by commune_code, map_sheet, parcel_no
) as new
    on parcels.parcel_id = new.parcel_id
when matched then update set
    commune_code = new.commune_code,
    map_sheet = new.map_sheet,
    parcel_no = new.parcel_no,
    area_m2 = coalesce(new.area_m2, parcels.area_m2),
    land_use_code = coalesce(new.land_use_code, parcels.land_use_code),
    address = coalesce(new.address, parcels.address),
    lon = new.lon,
    lat = new.lat,
    geometry = new.geometry
when not matched then insert (
    parcel_id, commune_code, map_sheet, parcel_no, area_m2, land_use_code, address, lon, lat,
    geometry
) values (
    new.parcel_id,
    new.commune_code,
    new.map_sheet,
    new.parcel_no,
    new.area_m2,
    new.land_use_code,
    new.address,
    new.lon,
    new.lat,
    new.geometry
)
