-- A rating import's checked rows (ingest_batch_ratings), one per rating_id (see
-- ingest_delete_ratings).
insert into dossier_ratings (
    rating_id, dossier_id, commune_code, procedure_code, rated_at, criterion, level,
    comment_masked, source_file, ingest_run_id
)
with final as (
    select
        rating_id,
        dossier_id,
        commune_code,
        procedure_code,
        rated_at,
        criterion,
        level,
        comment_masked,
        $source_file as source_file,
        $run_id as ingest_run_id
    from ingest_batch_ratings
)

select * from final
