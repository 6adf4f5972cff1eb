-- Every change of an action, oldest first.
with final as (
    select
        changed_at,
        changed_by,
        action_id,
        field,
        old_value,
        new_value
    from meeting_action_history
    where action_id = $action_id
)

select * from final
order by changed_at, field
