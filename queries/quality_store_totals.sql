-- Whole-store totals shown at the top of the data-quality page (and read by the load test to see
-- that a session only ever meets the dossier count of before or after an import).
with totals as (
    select
        (select count(*) from dossiers) as dossiers,
        (
            select count(*) from quarantine where coalesce(status, 'open') = 'open'
        ) as quarantined_rows,
        (select count(*) from ingest_runs) as ingest_runs,
        (select max(finished_at) from ingest_runs where status = 'ok') as last_import_at
),

final as (
    select
        dossiers,
        quarantined_rows,
        ingest_runs,
        last_import_at
    from totals
)

select * from final
