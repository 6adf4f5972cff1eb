-- The latest imports, newest first, for the Nhập dữ liệu page.
with runs as (
    select
        run_id,
        source_file,
        started_at,
        finished_at,
        status,
        rows_read,
        rows_inserted,
        rows_updated,
        rows_quarantined,
        message
    from ingest_runs
),

final as (
    select *
    from runs
    order by started_at desc, run_id desc
    limit $limit
)

select * from final
