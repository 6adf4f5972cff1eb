-- The stored ratings of the ids a rating import brings (ingest_batch_ratings), before it inserts
-- them.
delete from dossier_ratings
where rating_id in (
    with final as (
        select rating_id
        from ingest_batch_ratings
    )

    select * from final
)
