-- The processing log of the dossiers in the batch (see ingest_delete_steps).
insert into dossier_steps (
    dossier_id, step_at, unit, action, status_after, step_due_at, officer_id
)
with final as (
    select
        dossier_id,
        step_at,
        unit,
        action,
        status_after,
        step_due_at,
        officer_id
    from ingest_batch_steps
)

select * from final
