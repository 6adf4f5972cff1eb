-- Changes of kpi.md's open_at_end, open_overdue and open_due_soon per commune, procedure and day,
-- for the communes being refreshed ($everything, or the codes in $communes). A dossier that is not
-- registered, rejected, withdrawn or stopped (r = day received, f = day finished, due = due day) is
-- - open at the end of day D      for r <= D < f (no end when f is null),
-- - overdue at D (due < D)        for max(r, due + 1) <= D < f,
-- - due soon at D (D <= due <= next working day after D)
--                                 for max(r, pwd(due)) <= D < min(due + 1, f),
--   pwd(x) being the last working day before x: the next working day after D reaches x exactly
--   when D >= pwd(x).
-- Each span adds +1 on its first day and -1 on the day after its last, so the figure at the end of
-- D is the sum of the changes on days <= D. (As of a day = that day: kpi.Period keeps date_to <=
-- today, so day(as_of) = date_to.)
insert into rollup_open
with spans as (
    select
        c.province_code,
        d.commune_code,
        d.procedure_code,
        cast(d.received_at as date) as r,
        cast(d.finished_at as date) as f,
        cast(d.due_at as date) as due,
        w.previous_working_day as pwd
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    left join workday_calendar as w on w.day = cast(d.due_at as date)
    where ($everything or list_contains($communes, d.commune_code))
        and @handled(d)
),

-- greatest / least skip nulls, hence the explicit cases
bounds as (
    select
        *,
        case when due is not null then greatest(r, due + 1) end as overdue_from,
        case when pwd is not null then greatest(r, pwd) end as soon_from,
        case when due is not null then least(due + 1, coalesce(f, due + 1)) end as soon_until
    from spans
),

changes as (
    select
        province_code,
        commune_code,
        procedure_code,
        unnest([
            {'day': r, 'open': 1, 'overdue': 0, 'soon': 0},
            {'day': case when f is not null then greatest(r, f) end, 'open': -1, 'overdue': 0, 'soon': 0},
            {
                'day': case when f is null or f > overdue_from then overdue_from end,
                'open': 0, 'overdue': 1, 'soon': 0
            },
            {'day': case when f > overdue_from then f end, 'open': 0, 'overdue': -1, 'soon': 0},
            {
                'day': case when soon_from < soon_until then soon_from end,
                'open': 0, 'overdue': 0, 'soon': 1
            },
            {
                'day': case when soon_from < soon_until then soon_until end,
                'open': 0, 'overdue': 0, 'soon': -1
            }
        ]) as change
    from bounds
),

final as (
    select
        province_code,
        commune_code,
        procedure_code,
        change.day as day,
        sum(change.open) as open_change,
        sum(change.overdue) as overdue_change,
        sum(change.soon) as due_soon_change
    from changes
    where change.day is not null
    group by all
    having sum(change.open) <> 0 or sum(change.overdue) <> 0 or sum(change.soon) <> 0
)

select * from final
order by province_code, day
