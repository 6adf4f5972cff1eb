-- Dry run (registered frame ingest_batch, after procedure defaults, as load.write_dossiers
-- writes it): of the file's dossiers the store holds, how many an import would update (values
-- differ; the same comparison as ingest_update_dossiers) and how many it leaves unchanged.
with held as (
    select
        row(
            r.procedure_code, r.commune_code, r.channel, r.service_level, r.submitted_at,
            r.received_at, r.due_at, r.finished_at, r.returned_at, r.rejected_at, r.status,
            r.paid_online, r.has_fee, r.digitized, r.vneid_verified, r.applicant_masked,
            r.applicant_key, r.map_sheet, r.parcel_no, r.e_result_issued, r.synced_to_portal
        ) is distinct from row(
            d.procedure_code, d.commune_code, d.channel, d.service_level, d.submitted_at,
            d.received_at, d.due_at, d.finished_at, d.returned_at, d.rejected_at, d.status,
            d.paid_online, d.has_fee, d.digitized, d.vneid_verified, d.applicant_masked,
            d.applicant_key, d.map_sheet, d.parcel_no, d.e_result_issued, d.synced_to_portal
        ) as differs
    from ingest_batch as r
    inner join dossiers as d on d.dossier_id = r.dossier_id
),

final as (
    select
        count(*) as held,
        count(*) filter (where differs) as to_update
    from held
)

select * from final
