-- The stored rows of the keys a roster import brings (ingest_batch_roster), before it inserts them.
delete from staff_roster
where (officer_id, commune_code, desk, from_date) in (
    with final as (
        select officer_id, commune_code, desk, from_date
        from ingest_batch_roster
    )

    select * from final
)
