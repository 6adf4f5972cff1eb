-- An action marked done (done_at / done_by set) or open again (both cleared).
update meeting_actions
set
    state = $state,
    done_at = case when $state = 'done' then $changed_at end,
    done_by = case when $state = 'done' then $changed_by end,
    updated_by = $changed_by,
    updated_at = $changed_at
where action_id = $action_id
