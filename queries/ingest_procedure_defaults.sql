-- Service level and fee of the catalogue's procedures met in the file (registered frame
-- ingest_batch_procedures), for the dossiers whose export leaves them blank.
with final as (
    select
        p.procedure_code,
        p.service_level,
        p.has_fee
    from procedures as p
    semi join ingest_batch_procedures as b on b.procedure_code = p.procedure_code
)

select * from final
