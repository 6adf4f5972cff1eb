-- The number of the next meeting (one more than the highest); read in the transaction that
-- inserts it (actions_meeting_insert), under the write lock.
select coalesce(max(meeting_id), 0) + 1 as meeting_id
from meetings
