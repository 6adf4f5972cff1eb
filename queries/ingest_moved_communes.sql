-- Communes that dossiers of the file are leaving (registered frame ingest_batch: the rows of ids
-- the store holds, see load.write_dossiers): the store's commune of each dossier the file puts in
-- another commune. Their rollups change too.
with moved as (
    select d.commune_code
    from ingest_batch as r
    inner join dossiers as d on d.dossier_id = r.dossier_id
    where d.commune_code is distinct from r.commune_code
        and d.commune_code is not null
),

final as (
    select distinct commune_code
    from moved
)

select * from final
