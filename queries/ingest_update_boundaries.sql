-- Commune boundaries from a file (ingest_land_batch) replace the approximate cells.
update communes
set
    geometry = final.geometry,
    geometry_source = 'file',
    lon = coalesce(communes.lon, final.lon),
    lat = coalesce(communes.lat, final.lat)
from (
    with final as (
        select
            commune_code,
            geometry,
            lon,
            lat
        from ingest_land_batch
    )

    select * from final
) as final
where communes.commune_code = final.commune_code
