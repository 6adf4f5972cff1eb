-- Parcels of a land file (ingest_land_batch), keyed by commune + map sheet + parcel number. New
-- parcels are appended grouped by commune: the land map's commune view then reads few row groups.
insert into parcels (
    parcel_id, commune_code, map_sheet, parcel_no, area_m2, land_use_code, address, lon, lat,
    geometry
)
with final as (
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
)

select * from final
on conflict (parcel_id) do update set
    commune_code = excluded.commune_code,
    map_sheet = excluded.map_sheet,
    parcel_no = excluded.parcel_no,
    area_m2 = coalesce(excluded.area_m2, parcels.area_m2),
    land_use_code = coalesce(excluded.land_use_code, parcels.land_use_code),
    address = coalesce(excluded.address, parcels.address),
    lon = excluded.lon,
    lat = excluded.lat,
    geometry = excluded.geometry
