-- Simplify the commune cells of $province for $zoom where land_city.sql finds them stale (no
-- simplification, or one made from another geometry): $tolerance degrees, coordinates on a
-- $grid-degree grid (ioc.land.city_view). Needs the spatial extension (ioc.land.ensure_spatial).
-- A MERGE on (commune_code, zoom) rather than INSERT OR REPLACE: a DuckLake store has no primary
-- key (ioc/lake.py).
merge into simplified_cells
using (
    select
        c.commune_code,
        $zoom as zoom,
        md5(c.geometry) as source_md5,
        st_asgeojson(
            st_reduceprecision(
                st_simplifypreservetopology(st_geomfromgeojson(c.geometry), $tolerance), $grid
            )
        ) as geometry
    from communes as c
    left join simplified_cells as sc on sc.commune_code = c.commune_code and sc.zoom = $zoom
    where
        c.province_code = $province
        and c.geometry is not null
        and sc.source_md5 is distinct from md5(c.geometry)
) as new
    on simplified_cells.commune_code = new.commune_code and simplified_cells.zoom = new.zoom
when matched then update set
    source_md5 = new.source_md5,
    geometry = new.geometry
when not matched then insert (commune_code, zoom, source_md5, geometry)
    values (new.commune_code, new.zoom, new.source_md5, new.geometry)
