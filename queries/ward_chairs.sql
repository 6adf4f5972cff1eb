-- The ward chairs' accounts of a province's communes: the owners named on the "who is late" slide.
-- $demo: whether demo accounts count (they sign in only while demo mode is on).
with final as (
    select
        u.commune_code,
        u.username
    from users as u
    inner join communes as c on c.commune_code = u.commune_code
    where u.role = 'ward_chair'
        and c.province_code = $province
        and (not u.is_demo or $demo)
)

select * from final
order by commune_code, username
