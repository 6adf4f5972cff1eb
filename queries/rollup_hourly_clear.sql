-- Rows of rollup_hourly of the communes being refreshed ($everything, or the codes in $communes).
delete from rollup_hourly
where $everything or list_contains($communes, commune_code)
