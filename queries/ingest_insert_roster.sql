-- A roster import's checked rows (ingest_batch_roster), one per key (see ingest_delete_roster).
insert into staff_roster (
    officer_id, officer_masked, commune_code, desk, from_date, to_date, time_share,
    seconded_from, source_file, ingest_run_id
)
with final as (
    select
        officer_id,
        officer_masked,
        commune_code,
        desk,
        from_date,
        to_date,
        time_share,
        seconded_from,
        $source_file as source_file,
        $run_id as ingest_run_id
    from ingest_batch_roster
)

select * from final
