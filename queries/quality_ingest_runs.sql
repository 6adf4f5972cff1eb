-- Per source file: its imports (ingest_runs), for the đúng and sạch figures of a source.
-- merged = rows read that neither became a new dossier nor went to quarantine: the dossier was
-- already known (in the store or earlier in the file) and its record was merged, not duplicated.
with runs as (
    select
        coalesce(source_file, '?') as source_file,
        finished_at,
        coalesce(rows_read, 0) as rows_read,
        coalesce(rows_inserted, 0) as rows_inserted,
        coalesce(rows_updated, 0) as rows_updated,
        coalesce(rows_quarantined, 0) as rows_quarantined,
        status
    from ingest_runs
),

final as (
    select
        source_file,
        count(*) as runs,
        count(*) filter (where status = 'failed') as runs_failed,
        max(finished_at) as last_import_at,
        cast(sum(rows_read) as bigint) as rows_read,
        cast(sum(rows_inserted) as bigint) as rows_inserted,
        cast(sum(rows_updated) as bigint) as rows_updated,
        cast(sum(rows_quarantined) as bigint) as rows_quarantined,
        cast(sum(rows_read - rows_inserted - rows_quarantined) filter (
            where status = 'ok'
        ) as bigint) as rows_merged
    from runs
    group by source_file
)

select * from final
order by source_file
