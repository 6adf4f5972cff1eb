-- The commune cells of one province (GeoJSON text; 'approximate' cells when no boundary file was
-- loaded) for the KPI choropleth.
select
    commune_code,
    commune_name,
    lat,
    lon,
    geometry,
    geometry_source
from communes
where province_code = $province
order by commune_code
