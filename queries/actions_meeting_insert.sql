-- A new meeting numbered $meeting_id (actions_meeting_next_id, read in the same transaction);
-- the caller holds the write lock. No RETURNING: a DuckLake store does not support it.
insert into meetings (
    meeting_id, held_on, title, period_from, period_to, created_by, created_at
)
select
    $meeting_id,
    cast($held_on as date),
    $title,
    cast($period_from as date),
    cast($period_to as date),
    $created_by,
    $created_at
