-- The rejected rows of one import (registered frame ingest_batch_quarantine).
insert into quarantine (
    run_id, source_file, row_number, raw_values, reason_code, reason_vi, reason_en
)
with final as (
    select
        $run_id as run_id,
        $source_file as source_file,
        row_number,
        raw_values,
        reason_code,
        reason_vi,
        reason_en
    from ingest_batch_quarantine
)

select * from final
