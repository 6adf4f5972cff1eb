-- The procedure fields (lĩnh vực) in the catalogue, for the field filter.
select distinct field_name
from procedures
where field_name is not null
order by field_name
