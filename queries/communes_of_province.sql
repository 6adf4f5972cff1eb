-- The communes of one province (the rows of the league table, even those with no dossiers).
select
    commune_code,
    commune_name,
    commune_type,
    lat,
    lon
from communes
where province_code = $province
order by commune_code
