-- The committed procedure catalogue (frame ref_procedures); it also completes codes an ingest
-- added earlier as 'unknown'. Procedures not in the catalogue are left as they are. A MERGE on
-- procedure_code rather than INSERT ... ON CONFLICT: a DuckLake store has no primary key
-- (ioc/lake.py).
merge into procedures
using (
    select
        procedure_code,
        procedure_name,
        field_name,
        service_level,
        statutory_days,
        has_fee,
        fee_note,
        is_land,
        code_status
    from ref_procedures
) as new
    on procedures.procedure_code = new.procedure_code
when matched then update set
    procedure_name = new.procedure_name,
    field_name = new.field_name,
    service_level = new.service_level,
    statutory_days = new.statutory_days,
    has_fee = new.has_fee,
    fee_note = new.fee_note,
    is_land = new.is_land,
    code_status = new.code_status
when not matched then insert (
    procedure_code,
    procedure_name,
    field_name,
    service_level,
    statutory_days,
    has_fee,
    fee_note,
    is_land,
    code_status
) values (
    new.procedure_code,
    new.procedure_name,
    new.field_name,
    new.service_level,
    new.statutory_days,
    new.has_fee,
    new.fee_note,
    new.is_land,
    new.code_status
)
