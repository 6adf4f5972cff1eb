-- Procedure codes met in the file (ingest_batch) that the catalogue lacks: added as 'unknown' with
-- the name the export gives, so the admin sees them listed (quality_unmapped_procedures).
insert into procedures (procedure_code, procedure_name, code_status)
with unknown as (
    select
        b.procedure_code,
        coalesce(max(b.procedure_name), b.procedure_code) as procedure_name
    from ingest_batch as b
    left join procedures as p on p.procedure_code = b.procedure_code
    where b.procedure_code is not null
        and p.procedure_code is null
    group by b.procedure_code
),

final as (
    select
        procedure_code,
        procedure_name,
        'unknown' as code_status
    from unknown
)

select * from final
