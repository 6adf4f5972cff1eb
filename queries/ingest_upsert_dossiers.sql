-- Write the new and changed dossiers (ingest_changes), keyed by dossier_id, with their lineage.
insert into dossiers (
    dossier_id, procedure_code, commune_code, channel, service_level, submitted_at, received_at,
    due_at, finished_at, returned_at, rejected_at, status, paid_online, has_fee, digitized,
    vneid_verified, applicant_masked, applicant_key, map_sheet, parcel_no, source_file,
    ingest_run_id
)
with final as (
    select
        * exclude (is_update),
        $source_file as source_file,
        $run_id as ingest_run_id
    from ingest_changes
)

select * from final
on conflict (dossier_id) do update set
    procedure_code = excluded.procedure_code,
    commune_code = excluded.commune_code,
    channel = excluded.channel,
    service_level = excluded.service_level,
    submitted_at = excluded.submitted_at,
    received_at = excluded.received_at,
    due_at = excluded.due_at,
    finished_at = excluded.finished_at,
    returned_at = excluded.returned_at,
    rejected_at = excluded.rejected_at,
    status = excluded.status,
    paid_online = excluded.paid_online,
    has_fee = excluded.has_fee,
    digitized = excluded.digitized,
    vneid_verified = excluded.vneid_verified,
    applicant_masked = excluded.applicant_masked,
    applicant_key = excluded.applicant_key,
    map_sheet = excluded.map_sheet,
    parcel_no = excluded.parcel_no,
    source_file = excluded.source_file,
    ingest_run_id = excluded.ingest_run_id
