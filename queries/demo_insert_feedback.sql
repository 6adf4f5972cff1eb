-- The demo's feedback from the frame registered as demo_feedback (columns as feedback's).
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
        cast(null as varchar) as ingest_run_id
    from demo_feedback
)

select * from final
