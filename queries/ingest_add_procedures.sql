-- Procedure codes met in the file (registered frame ingest_batch_procedures: each code once, with
-- a name the export gives) that the catalogue lacks: added as 'unknown' with that name, so the
-- admin sees them listed (quality_unmapped_procedures).
insert into procedures (procedure_code, procedure_name, code_status)
with unknown as (
    select
        b.procedure_code,
        coalesce(b.procedure_name, b.procedure_code) as procedure_name
    from ingest_batch_procedures as b
    anti join procedures as p on p.procedure_code = b.procedure_code
),

final as (
    select
        procedure_code,
        procedure_name,
        'unknown' as code_status
    from unknown
)

select * from final
