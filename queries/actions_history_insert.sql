-- One change of an action: which field, its old and new value.
insert into meeting_action_history (
    changed_at, changed_by, action_id, field, old_value, new_value
)
with final as (
    select
        $changed_at as changed_at,
        $changed_by as changed_by,
        $action_id as action_id,
        $field as field,
        $old_value as old_value,
        $new_value as new_value
)

select * from final
