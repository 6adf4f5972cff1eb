-- One row per import, whatever its outcome.
insert into ingest_runs (
    run_id, source_file, sha256, started_at, finished_at, rows_read, rows_inserted, rows_updated,
    rows_quarantined, status, message
)
with final as (
    select
        $run_id as run_id,
        $source_file as source_file,
        $sha256 as sha256,
        $started_at as started_at,
        $finished_at as finished_at,
        $rows_read as rows_read,
        $rows_inserted as rows_inserted,
        $rows_updated as rows_updated,
        $rows_quarantined as rows_quarantined,
        $status as status,
        $message as message
)

select * from final
