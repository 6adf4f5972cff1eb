-- The workday calendar (registered frame workday_frame: day, previous_working_day), replacing
-- what was there: the holidays of ioc/workdays.py may have been extended since.
insert or replace into workday_calendar
select
    day,
    previous_working_day
from workday_frame
