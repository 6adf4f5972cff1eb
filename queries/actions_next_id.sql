-- The number of the next action (one more than the highest); read in the transaction that inserts
-- it (actions_insert), under the write lock.
select coalesce(max(action_id), 0) + 1 as action_id
from meeting_actions
