-- Rows of rollup_open of the communes being refreshed ($everything, or the codes in $communes).
delete from rollup_open
where $everything or list_contains($communes, commune_code)
