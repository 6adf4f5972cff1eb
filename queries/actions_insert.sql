-- A new action of a meeting, open, numbered $action_id (actions_next_id, read in the same
-- transaction); the caller has validated it and holds the write lock. No RETURNING: a DuckLake
-- store does not support it, and one statement serves both stores.
insert into meeting_actions (
    action_id, meeting_id, commune_code, what, owner, deadline, state, created_by, created_at
)
select
    $action_id,
    $meeting_id,
    $commune,
    $what,
    $owner,
    cast($deadline as date),
    'open',
    $created_by,
    $created_at
