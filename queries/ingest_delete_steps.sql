-- A dossier's processing log arrives whole with each sync: drop the old log of the dossiers in
-- the batch (ingest_batch_steps) before inserting the new one.
delete from dossier_steps
where dossier_id in (
    with final as (
        select distinct dossier_id
        from ingest_batch_steps
    )

    select dossier_id from final
)
