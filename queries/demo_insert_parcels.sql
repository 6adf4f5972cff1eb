-- Demo parcels from the frame registered as demo_parcels (one row per parcel, columns as the table).
insert into parcels (
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
    from demo_parcels
)

select * from final
