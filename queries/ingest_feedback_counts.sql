-- Of a feedback import's rows (registered frame ingest_batch_feedback): how many are new feedback
-- ids and how many change a row the store holds; a row equal to the stored one counts in neither.
with stored as (
    select f.*
    from feedback as f
    inner join ingest_batch_feedback as b on f.feedback_id = b.feedback_id
),

final as (
    select
        count(*) filter (where s.feedback_id is null) as inserted,
        count(*) filter (
            where s.feedback_id is not null
            and (
                s.commune_code is distinct from b.commune_code
                or s.procedure_code is distinct from b.procedure_code
                or s.channel is distinct from b.channel
                or s.topic is distinct from b.topic
                or s.received_at is distinct from b.received_at
                or s.transferred_at is distinct from b.transferred_at
                or s.due_at is distinct from b.due_at
                or s.answered_at is distinct from b.answered_at
                or s.outcome is distinct from b.outcome
                or s.rated_unsatisfied is distinct from b.rated_unsatisfied
                or s.complaint_after is distinct from b.complaint_after
                or s.content_masked is distinct from b.content_masked
            )
        ) as updated
    from ingest_batch_feedback as b
    left join stored as s on s.feedback_id = b.feedback_id
)

select * from final
