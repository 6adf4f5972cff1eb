-- The committed procedure catalogue (frame ref_procedures); it also completes codes an ingest
-- added earlier as 'unknown'. Procedures not in the catalogue are left as they are.
insert into procedures (
    procedure_code,
    procedure_name,
    field_name,
    service_level,
    statutory_days,
    has_fee,
    fee_note,
    is_land,
    code_status
)
with final as (
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
)

select * from final
on conflict (procedure_code) do update set
    procedure_name = excluded.procedure_name,
    field_name = excluded.field_name,
    service_level = excluded.service_level,
    statutory_days = excluded.statutory_days,
    has_fee = excluded.has_fee,
    fee_note = excluded.fee_note,
    is_land = excluded.is_land,
    code_status = excluded.code_status
