-- The stored feedback items of the ids a feedback import brings (ingest_batch_feedback), before
-- it inserts them.
delete from feedback
where feedback_id in (
    with final as (
        select feedback_id
        from ingest_batch_feedback
    )

    select * from final
)
