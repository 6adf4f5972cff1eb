-- Newest event time in the store (received, finished or a processing step): "dữ liệu cập nhật lúc".
with events as (
    select max(received_at) as event_at from dossiers
    union all
    select max(finished_at) from dossiers
    union all
    select max(step_at) from dossier_steps
),

final as (
    select max(event_at) as newest_at from events
)

select * from final
