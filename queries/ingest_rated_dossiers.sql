-- The dossiers a rating import names (registered frame ingest_batch_rated_dossiers) that the store
-- holds, with their commune and procedure: a rating takes them where its file gives none.
with named as (
    select distinct dossier_id
    from ingest_batch_rated_dossiers
),

final as (
    select
        d.dossier_id,
        d.commune_code,
        d.procedure_code
    from dossiers as d
    inner join named as n on n.dossier_id = d.dossier_id
)

select * from final
