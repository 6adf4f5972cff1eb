-- Every target row ever entered, newest decision first, with the commune's name for a
-- commune-level row.
with final as (
    select
        t.metric,
        t.scope,
        c.commune_name,
        t.target,
        t.effective_from,
        t.effective_to,
        t.note,
        t.created_at
    from targets as t
    left join communes as c on c.commune_code = t.scope
)

select * from final
order by effective_from desc, created_at desc
