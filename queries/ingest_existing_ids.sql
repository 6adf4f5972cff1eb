-- The ids of the file (registered frame ingest_batch_ids) that the store already holds: those
-- rows may update a dossier, the others are inserted as they are.
with final as (
    select d.dossier_id
    from dossiers as d
    semi join ingest_batch_ids as b on b.dossier_id = d.dossier_id
)

select * from final
