-- The secondments recorded (newest first), with their commune's name. $province / $commune: null
-- = all.
with final as (
    select
        s.secondment_id,
        s.commune_code,
        c.commune_name,
        s.officers,
        s.from_date,
        s.to_date,
        s.time_share,
        s.note,
        s.created_by,
        s.created_at
    from secondments as s
    inner join communes as c on s.commune_code = c.commune_code
    where ($province is null or c.province_code = $province)
        and ($commune is null or s.commune_code = $commune)
)

select * from final
order by created_at desc, secondment_id
