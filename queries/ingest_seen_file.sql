-- An earlier successful import of the same bytes (same sha256), if any.
with earlier as (
    select
        run_id,
        source_file,
        finished_at
    from ingest_runs
    where sha256 = $sha256
        and status = 'ok'
),

final as (
    select
        run_id,
        source_file,
        finished_at
    from earlier
)

select * from final
order by finished_at
limit 1
