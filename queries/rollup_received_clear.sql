-- Rows of rollup_received of the communes being refreshed ($everything, or the codes in $communes).
delete from rollup_received
where $everything or list_contains($communes, commune_code)
