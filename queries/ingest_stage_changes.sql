-- The dossiers of the file being imported (registered frame ingest_batch) that are new or differ
-- from the store, with the procedure's level and fee where the export has none. Unchanged dossiers
-- are left alone, so re-importing an export changes nothing, lineage included.
create or replace temp table ingest_changes as
with batch as (
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
),

final as (
    select
        b.*,
        d.dossier_id is not null as is_update
    from batch as b
    left join dossiers as d on d.dossier_id = b.dossier_id
    where d.dossier_id is null
        or row(
            b.procedure_code, b.commune_code, b.channel, b.service_level, b.submitted_at,
            b.received_at, b.due_at, b.finished_at, b.returned_at, b.rejected_at, b.status,
            b.paid_online, b.has_fee, b.digitized, b.vneid_verified, b.applicant_masked,
            b.applicant_key, b.map_sheet, b.parcel_no
        ) is distinct from row(
            d.procedure_code, d.commune_code, d.channel, d.service_level, d.submitted_at,
            d.received_at, d.due_at, d.finished_at, d.returned_at, d.rejected_at, d.status,
            d.paid_online, d.has_fee, d.digitized, d.vneid_verified, d.applicant_masked,
            d.applicant_key, d.map_sheet, d.parcel_no
        )
)

select * from final
