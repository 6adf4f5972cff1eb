-- A feedback import's checked rows (ingest_batch_feedback), one per feedback_id (see
-- ingest_delete_feedback).
insert into feedback (
    feedback_id, commune_code, procedure_code, channel, topic, received_at, transferred_at,
    due_at, answered_at, outcome, rated_unsatisfied, complaint_after, content_masked,
    source_file, ingest_run_id
)
with final as (
    select
        feedback_id,
        commune_code,
        procedure_code,
        channel,
        topic,
        received_at,
        transferred_at,
        due_at,
        answered_at,
        outcome,
        rated_unsatisfied,
        complaint_after,
        content_masked,
        $source_file as source_file,
        $run_id as ingest_run_id
    from ingest_batch_feedback
)

select * from final
