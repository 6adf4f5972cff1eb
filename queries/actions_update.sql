-- An action's commune, text, owner and deadline as edited (the caller validated them).
update meeting_actions
set
    commune_code = $commune,
    what = $what,
    owner = $owner,
    deadline = cast($deadline as date),
    updated_by = $updated_by,
    updated_at = $updated_at
where action_id = $action_id
