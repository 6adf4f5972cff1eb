-- Features of a Shapefile (zipped) or GeoPackage through DuckDB spatial's GDAL reader, geometry
-- as WKT; the attributes are matched by alias in ioc/ingest/land.py.
with features as (
    select *
    from st_read($path)
),

final as (
    select
        * exclude (geom),
        st_astext(geom) as wkt
    from features
)

select * from final
