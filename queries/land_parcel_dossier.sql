-- The latest dossier (by received_at, as in land_parcels.sql) of one parcel, for the detail panel.
-- Dossier-level: $commune comes from Scope.dossier_commune. The applicant is masked at ingest.
with final as (
    select
        d.dossier_id,
        d.procedure_code,
        p.procedure_name,
        d.status,
        d.received_at,
        d.due_at,
        d.finished_at,
        d.applicant_masked
    from dossiers as d
    left join procedures as p on p.procedure_code = d.procedure_code
    where d.commune_code = $commune
        and d.map_sheet = $map_sheet
        and d.parcel_no = $parcel_no
    order by d.received_at desc nulls last, d.dossier_id desc
    limit 1
)

select * from final
