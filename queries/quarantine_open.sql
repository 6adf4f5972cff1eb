-- Open quarantined rows (not resolved, not deleted) with what re-processing needs, oldest run
-- first; $sha256 (or null: every file) limits them to the runs of one file's bytes.
with runs as (
    select
        run_id,
        sha256,
        started_at
    from ingest_runs
),

open_rows as (
    select
        q.run_id,
        q.source_file,
        r.sha256,
        r.started_at,
        q.row_number,
        q.raw_values,
        q.reason_code,
        q.reason_vi,
        q.reason_en,
        q.source_key,
        q.problem_kind,
        q.problem_value,
        q.applicant_masked,
        q.applicant_key,
        q.settled_commune
    from quarantine as q
    left join runs as r on r.run_id = q.run_id
    where coalesce(q.status, 'open') = 'open'
        and ($sha256 is null or r.sha256 = $sha256)
),

final as (
    select *
    from open_rows
)

select * from final
order by started_at, run_id, row_number
