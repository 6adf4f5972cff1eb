-- New dossiers of the file (registered frame ingest_batch: store columns, ids the store does not
-- hold yet, see load.write_dossiers) with their lineage: a plain bulk insert straight from the
-- frame. Returns the number inserted.
insert into dossiers (
    dossier_id, procedure_code, commune_code, channel, service_level, submitted_at, received_at,
    due_at, finished_at, returned_at, rejected_at, status, paid_online, has_fee, digitized,
    vneid_verified, applicant_masked, applicant_key, map_sheet, parcel_no, source_file,
    ingest_run_id, e_result_issued, synced_to_portal
)
with final as (
    select
        b.dossier_id,
        b.procedure_code,
        b.commune_code,
        b.channel,
        b.service_level,
        b.submitted_at,
        b.received_at,
        b.due_at,
        b.finished_at,
        b.returned_at,
        b.rejected_at,
        b.status,
        b.paid_online,
        b.has_fee,
        b.digitized,
        b.vneid_verified,
        b.applicant_masked,
        b.applicant_key,
        b.map_sheet,
        b.parcel_no,
        $source_file as source_file,
        $run_id as ingest_run_id,
        b.e_result_issued,
        b.synced_to_portal
    from ingest_batch as b
)

select * from final
