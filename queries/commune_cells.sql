-- The commune cells of one province (GeoJSON text; 'approximate' cells when no boundary file was
-- loaded) for the KPI choropleth, which ranks these rows: only what its features show.
select
    commune_code,
    commune_name,
    geometry
from communes
where province_code = $province
order by commune_code
