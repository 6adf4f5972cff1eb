-- Dossiers of the file that the store holds (registered frame ingest_batch, see
-- load.write_dossiers) and whose values differ: updated in place, with the file's lineage.
-- Unchanged dossiers are left alone, so re-importing an export changes nothing, lineage included.
-- Returns the number updated.
update dossiers set
    procedure_code = c.procedure_code,
    commune_code = c.commune_code,
    channel = c.channel,
    service_level = c.service_level,
    submitted_at = c.submitted_at,
    received_at = c.received_at,
    due_at = c.due_at,
    finished_at = c.finished_at,
    returned_at = c.returned_at,
    rejected_at = c.rejected_at,
    status = c.status,
    paid_online = c.paid_online,
    has_fee = c.has_fee,
    digitized = c.digitized,
    vneid_verified = c.vneid_verified,
    applicant_masked = c.applicant_masked,
    applicant_key = c.applicant_key,
    map_sheet = c.map_sheet,
    parcel_no = c.parcel_no,
    e_result_issued = c.e_result_issued,
    synced_to_portal = c.synced_to_portal,
    source_file = $source_file,
    ingest_run_id = $run_id
from (
    with final as (
        select r.*
        from ingest_batch as r
        inner join dossiers as d on d.dossier_id = r.dossier_id
        where row(
            r.procedure_code, r.commune_code, r.channel, r.service_level, r.submitted_at,
            r.received_at, r.due_at, r.finished_at, r.returned_at, r.rejected_at, r.status,
            r.paid_online, r.has_fee, r.digitized, r.vneid_verified, r.applicant_masked,
            r.applicant_key, r.map_sheet, r.parcel_no, r.e_result_issued, r.synced_to_portal
        ) is distinct from row(
            d.procedure_code, d.commune_code, d.channel, d.service_level, d.submitted_at,
            d.received_at, d.due_at, d.finished_at, d.returned_at, d.rejected_at, d.status,
            d.paid_online, d.has_fee, d.digitized, d.vneid_verified, d.applicant_masked,
            d.applicant_key, d.map_sheet, d.parcel_no, d.e_result_issued, d.synced_to_portal
        )
    )

    select * from final
) as c
where dossiers.dossier_id = c.dossier_id
