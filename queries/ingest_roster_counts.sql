-- Of a roster import's rows (registered frame ingest_batch_roster): how many are new keys
-- (officer, commune, desk, first day) and how many change a row the store holds; a row equal to
-- the stored one counts in neither (re-importing a roster changes nothing).
with stored as (
    select
        r.officer_id,
        r.commune_code,
        r.desk,
        r.from_date,
        r.to_date,
        r.time_share,
        r.seconded_from,
        r.officer_masked
    from staff_roster as r
    inner join ingest_batch_roster as b
        on r.officer_id = b.officer_id
        and r.commune_code = b.commune_code
        and r.desk = b.desk
        and r.from_date = b.from_date
),

final as (
    select
        count(*) filter (where s.officer_id is null) as inserted,
        count(*) filter (
            where s.officer_id is not null
            and (
                s.to_date is distinct from b.to_date
                or s.time_share is distinct from b.time_share
                or s.seconded_from is distinct from b.seconded_from
                or s.officer_masked is distinct from b.officer_masked
            )
        ) as updated
    from ingest_batch_roster as b
    left join stored as s
        on s.officer_id = b.officer_id
        and s.commune_code = b.commune_code
        and s.desk = b.desk
        and s.from_date = b.from_date
)

select * from final
