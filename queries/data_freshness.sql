-- When the store last heard from its sources: the newest event in it (received, finished or a
-- processing step) or the end of the newest successful import, whichever is later, so a quiet
-- night whose exports keep arriving with nothing new still reads as fresh. "Dữ liệu cập nhật lúc".
with events as (
    select max(received_at) as event_at from dossiers
    union all
    select max(finished_at) from dossiers
    union all
    select max(step_at) from dossier_steps
    union all
    select max(finished_at) from ingest_runs where status = 'ok'
),

final as (
    select max(event_at) as newest_at from events
)

select * from final
