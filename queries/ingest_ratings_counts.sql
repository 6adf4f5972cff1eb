-- Of a rating import's rows (registered frame ingest_batch_ratings): how many are new rating ids
-- and how many change a row the store holds; a row equal to the stored one counts in neither
-- (re-importing a rating export changes nothing).
with stored as (
    select r.*
    from dossier_ratings as r
    inner join ingest_batch_ratings as b on r.rating_id = b.rating_id
),

final as (
    select
        count(*) filter (where s.rating_id is null) as inserted,
        count(*) filter (
            where s.rating_id is not null
            and (
                s.dossier_id is distinct from b.dossier_id
                or s.commune_code is distinct from b.commune_code
                or s.procedure_code is distinct from b.procedure_code
                or s.rated_at is distinct from b.rated_at
                or s.criterion is distinct from b.criterion
                or s.level is distinct from b.level
                or s.comment_masked is distinct from b.comment_masked
            )
        ) as updated
    from ingest_batch_ratings as b
    left join stored as s on s.rating_id = b.rating_id
)

select * from final
