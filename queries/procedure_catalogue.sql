-- Procedure names, fields and service levels, to label per-procedure figures.
select
    procedure_code,
    procedure_name,
    field_name,
    service_level
from procedures
order by procedure_code
