-- The dossiers of the file being imported (registered frame ingest_batch) as store rows, with the
-- procedure's level and fee where the export has none. A view, not a copy: the update of changed
-- dossiers (ingest_update_dossiers) and the insert of new ones (ingest_insert_dossiers) read it.
create or replace temp view ingest_rows as
with final as (
    select
        b.dossier_id,
        b.procedure_code,
        b.commune_code,
        b.channel,
        coalesce(b.service_level, p.service_level) as service_level,
        b.submitted_at,
        b.received_at,
        b.due_at,
        b.finished_at,
        b.returned_at,
        b.rejected_at,
        b.status,
        b.paid_online,
        coalesce(b.has_fee, p.has_fee) as has_fee,
        b.digitized,
        b.vneid_verified,
        b.applicant_masked,
        b.applicant_key,
        b.map_sheet,
        b.parcel_no
    from ingest_batch as b
    left join procedures as p on p.procedure_code = b.procedure_code
)

select * from final
