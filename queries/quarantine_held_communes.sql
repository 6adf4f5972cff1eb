-- Communes now holding some dossier ids (registered frame ingest_batch_ids): a retry may move
-- those dossiers, so it reports their figures' change too.
with held as (
    select distinct d.commune_code
    from dossiers as d
    semi join ingest_batch_ids as b on b.dossier_id = d.dossier_id
    where d.commune_code is not null
),

final as (
    select commune_code
    from held
)

select * from final
