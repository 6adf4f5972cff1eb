-- A new meeting with the next number; the caller holds the write lock.
insert into meetings (
    meeting_id, held_on, title, period_from, period_to, created_by, created_at
)
select
    coalesce(max(meeting_id), 0) + 1,
    cast($held_on as date),
    $title,
    cast($period_from as date),
    cast($period_to as date),
    $created_by,
    $created_at
from meetings
returning meeting_id
