-- Rows of rollup_open_commune of the communes being refreshed ($everything, or the codes in $communes).
delete from rollup_open_commune
where $everything or list_contains($communes, commune_code)
