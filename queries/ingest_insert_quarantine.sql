-- The rejected rows of one import (registered frame ingest_batch_quarantine), open.
insert into quarantine (
    run_id, source_file, row_number, raw_values, reason_code, reason_vi, reason_en, status,
    source_key, problem_kind, problem_value, applicant_masked, applicant_key
)
with final as (
    select
        $run_id as run_id,
        $source_file as source_file,
        row_number,
        raw_values,
        reason_code,
        reason_vi,
        reason_en,
        'open' as status,
        source_key,
        problem_kind,
        problem_value,
        applicant_masked,
        applicant_key
    from ingest_batch_quarantine
)

select * from final
