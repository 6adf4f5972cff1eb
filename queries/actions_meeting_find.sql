-- The meeting held on a day under a deck's title (the one the presenter is recording for), if any.
with final as (
    select
        meeting_id,
        held_on,
        title
    from meetings
    where held_on = cast($held_on as date)
        and title = $title
)

select * from final
order by meeting_id
limit 1
