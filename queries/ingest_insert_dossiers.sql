-- Dossiers of the file (ingest_rows, see ingest_stage_changes) that the store does not hold yet,
-- with their lineage: a plain bulk insert (no per-row conflict check). Returns the number inserted.
insert into dossiers (
    dossier_id, procedure_code, commune_code, channel, service_level, submitted_at, received_at,
    due_at, finished_at, returned_at, rejected_at, status, paid_online, has_fee, digitized,
    vneid_verified, applicant_masked, applicant_key, map_sheet, parcel_no, source_file,
    ingest_run_id
)
with final as (
    select
        r.*,
        $source_file as source_file,
        $run_id as ingest_run_id
    from ingest_rows as r
    anti join dossiers as d on d.dossier_id = r.dossier_id
)

select * from final
