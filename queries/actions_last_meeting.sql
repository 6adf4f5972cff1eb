-- The newest meeting held on or before $cutoff that asked something of $commune (null: of
-- anyone): the meeting whose actions the next deck opens with.
with final as (
    select
        m.meeting_id,
        m.held_on,
        m.title,
        m.created_at
    from meetings as m
    where m.held_on <= cast($cutoff as date)
        and exists (
            select 1
            from meeting_actions as a
            where a.meeting_id = m.meeting_id
                and ($commune is null or a.commune_code = $commune)
        )
)

select * from final
order by held_on desc, created_at desc, meeting_id desc
limit 1
