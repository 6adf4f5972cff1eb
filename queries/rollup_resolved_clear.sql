-- Rows of rollup_resolved of the communes being refreshed ($everything, or the codes in $communes).
delete from rollup_resolved
where $everything or list_contains($communes, commune_code)
