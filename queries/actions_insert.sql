-- A new action of a meeting with the next number, open; the caller has validated it and holds
-- the write lock.
insert into meeting_actions (
    action_id, meeting_id, commune_code, what, owner, deadline, state, created_by, created_at
)
select
    coalesce(max(action_id), 0) + 1,
    $meeting_id,
    $commune,
    $what,
    $owner,
    cast($deadline as date),
    'open',
    $created_by,
    $created_at
from meeting_actions
returning action_id
