-- Rows of rollup_unfinished of the communes being refreshed ($everything, or the codes in $communes).
delete from rollup_unfinished
where $everything or list_contains($communes, commune_code)
