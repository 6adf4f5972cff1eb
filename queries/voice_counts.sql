-- Counts behind the citizen's-voice KPIs (docs/citizen-voice.md), per period and group, in the
-- shape of kpi_counts.sql (ioc/kpi.py joins the two on period and group_key):
--   rated                      dossiers resolved in the period (kpi.md resolved, by finished day)
--                              that carry a rating given by the end of the period
--   ratings                    dossiers whose rating was given in the period (by rated day)
--   ratings_satisfied          of those, rated very satisfied or satisfied
--   ratings_not_satisfied      of those, rated not satisfied
--   feedback_received          feedback items received in the period
--   feedback_answered          feedback items answered (answered, rejected or more information
--                              requested) in the period, by answer day
--   feedback_answered_on_time  of those, answered by their due day
--   feedback_open              feedback items received by the end of the period and not answered
--                              by then
--   feedback_overdue           of those, past their due day at the end of the period
-- A dossier's rating: its overall rating (criterion null; the latest when rated again), else the
-- lowest of its criteria ratings, dated at the latest of them; only ratings given from the first
-- day of the earliest period asked for are read (a rating follows the dossier's result). A feedback item's due day: its
-- due date, else the 15th working day after its latest transfer to the unit (else its receipt).
-- Parameters as kpi_counts.sql: $date_froms / $date_tos, $grain, $province, $commune, $field;
-- $grain 'commune_procedure' too (ratings only, group_key commune_code|procedure_code: the
-- satisfaction lever of ioc/voice.py).
with periods as (
    select
        unnest(generate_series(0, len($date_froms) - 1)) as period,
        cast(unnest($date_froms) as date) as date_from,
        cast(unnest($date_tos) as date) as date_to
),

scoped_ratings as (
    select
        r.dossier_id,
        r.commune_code,
        r.procedure_code,
        p.field_name,
        r.rated_at,
        r.criterion,
        case r.level when 'very_satisfied' then 3 when 'satisfied' then 2 else 1 end as grade
    from dossier_ratings as r
    inner join communes as c on c.commune_code = r.commune_code
    left join procedures as p on p.procedure_code = r.procedure_code
    where c.province_code = $province
        and ($commune is null or r.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        and cast(r.rated_at as date)
        between cast(list_min($date_froms) as date) and cast(list_max($date_tos) as date)
),

dossier_rating as (
    select
        dossier_id,
        any_value(commune_code) as commune_code,
        any_value(procedure_code) as procedure_code,
        any_value(field_name) as field_name,
        coalesce(
            arg_max(grade, rated_at) filter (where criterion is null),
            min(grade)
        ) as grade,
        coalesce(max(rated_at) filter (where criterion is null), max(rated_at)) as rated_at
    from scoped_ratings
    group by dossier_id
),

rating_counts as (
    select
        pe.period,
        case $grain
            when 'commune' then r.commune_code
            when 'procedure' then r.procedure_code
            when 'field' then coalesce(r.field_name, '?')
            when 'commune_procedure' then r.commune_code || '|' || r.procedure_code
            else 'city'
        end as group_key,
        count(*) as ratings,
        count(*) filter (where r.grade >= 2) as ratings_satisfied,
        count(*) filter (where r.grade = 1) as ratings_not_satisfied
    from dossier_rating as r
    inner join periods as pe on cast(r.rated_at as date) between pe.date_from and pe.date_to
    group by all
),

rated_counts as (
    select
        pe.period,
        case $grain
            when 'commune' then d.commune_code
            when 'procedure' then d.procedure_code
            when 'field' then coalesce(r.field_name, '?')
            else 'city'
        end as group_key,
        count(*) as rated
    from dossier_rating as r
    inner join dossiers as d on d.dossier_id = r.dossier_id
    inner join periods as pe
        on cast(d.finished_at as date) between pe.date_from and pe.date_to
        and cast(r.rated_at as date) <= pe.date_to
    where @resolved(d)
        -- timestamps, not their days: the dossiers' row groups outside the days are skipped
        and d.finished_at >= cast(list_min($date_froms) as date)
        and d.finished_at < cast(list_max($date_tos) as date) + interval 1 day
        and d.dossier_id in (select r2.dossier_id from dossier_rating as r2)
    group by all
),

scoped_feedback as (
    select
        f.commune_code,
        f.procedure_code,
        p.field_name,
        cast(f.received_at as date) as received_day,
        cast(f.answered_at as date) as answered_day,
        f.outcome,
        cast(f.due_at as date) as due_day,
        cast(coalesce(f.transferred_at, f.received_at) as date) as start_day
    from feedback as f
    inner join communes as c on c.commune_code = f.commune_code
    left join procedures as p on p.procedure_code = f.procedure_code
    where c.province_code = $province
        and ($commune is null or f.commune_code = $commune)
        and ($field is null or p.field_name = $field)
        and cast(f.received_at as date) <= cast(list_max($date_tos) as date)
),

workdays as (
    select
        previous_working_day as day,
        row_number() over (order by previous_working_day) as n
    from (select distinct previous_working_day from workday_calendar) as w
    where previous_working_day
        between (select min(start_day) from scoped_feedback) - interval 10 day
        and cast(list_max($date_tos) as date) + interval 60 day
),

feedback_due as (
    select
        f.*,
        coalesce(f.due_day, later.day) as due_by
    from scoped_feedback as f
    asof left join workdays as w on f.start_day >= w.day
    left join workdays as later on later.n = w.n + 15
),

feedback_counts as (
    select
        pe.period,
        case $grain
            when 'commune' then f.commune_code
            when 'procedure' then f.procedure_code
            when 'field' then coalesce(f.field_name, '?')
            else 'city'
        end as group_key,
        count(*) filter (
            where f.received_day between pe.date_from and pe.date_to
        ) as feedback_received,
        count(*) filter (
            where f.outcome is not null and f.answered_day between pe.date_from and pe.date_to
        ) as feedback_answered,
        count(*) filter (
            where f.outcome is not null and f.answered_day between pe.date_from and pe.date_to
            and f.answered_day <= f.due_by
        ) as feedback_answered_on_time,
        count(*) filter (
            where f.received_day <= pe.date_to
            and (f.outcome is null or f.answered_day > pe.date_to)
        ) as feedback_open,
        count(*) filter (
            where f.received_day <= pe.date_to
            and (f.outcome is null or f.answered_day > pe.date_to)
            and f.due_by < pe.date_to
        ) as feedback_overdue
    from feedback_due as f
    cross join periods as pe
    group by all
),

merged as (
    select * from rating_counts
    union all by name
    select * from rated_counts
    union all by name
    select * from feedback_counts
),

final as (
    select
        period,
        group_key,
        cast(coalesce(sum(columns(* exclude (period, group_key))), 0) as bigint)
    from merged
    where group_key is not null
    group by period, group_key
)

select * from final
order by period, group_key
