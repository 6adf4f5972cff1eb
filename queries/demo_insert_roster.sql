-- The demo's roster from the frame registered as demo_roster (columns as staff_roster's).
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
        cast(null as varchar) as ingest_run_id
    from demo_roster
)

select * from final
