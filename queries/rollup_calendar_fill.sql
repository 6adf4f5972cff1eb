-- The workday calendar (registered frame workday_frame: day, previous_working_day), replacing
-- what was there: the holidays of ioc/workdays.py may have been extended since. A MERGE on day
-- rather than INSERT OR REPLACE: a DuckLake store has no primary key (ioc/lake.py).
merge into workday_calendar
using (
    select
        day,
        previous_working_day
    from workday_frame
) as new
    on workday_calendar.day = new.day
when matched then update set previous_working_day = new.previous_working_day
when not matched then insert (day, previous_working_day)
    values (new.day, new.previous_working_day)
