-- Per officer and commune (docs/capacity.md): dossiers received in [$date_from, $date_to] whose
-- first step names the officer; steps naming the officer in the period; dossiers open at the end
-- of $date_to whose latest step by then names the officer, and how many of them are overdue.
-- A step counts at the commune of its dossier. $province / $commune: null = all.
with step_rows as (
    select
        s.dossier_id,
        s.step_at,
        s.officer_id,
        d.commune_code,
        d.status,
        d.received_at,
        d.finished_at,
        d.due_at
    from dossier_steps as s
    inner join dossiers as d on s.dossier_id = d.dossier_id
    inner join communes as c on d.commune_code = c.commune_code
    where cast(s.step_at as date) <= $date_to
        and ($province is null or c.province_code = $province)
        and ($commune is null or d.commune_code = $commune)
),

handled as (
    select
        commune_code,
        officer_id,
        count(*) as steps
    from step_rows
    where officer_id is not null
        and cast(step_at as date) >= $date_from
    group by commune_code, officer_id
),

firsts as (
    select
        dossier_id,
        arg_min(officer_id, step_at) as officer_id,
        any_value(commune_code) as commune_code,
        any_value(status) as status,
        any_value(received_at) as received_at
    from step_rows
    group by dossier_id
),

took_in as (
    select
        d.commune_code,
        d.officer_id,
        count(*) as received
    from firsts as d
    where @received(d)
        and d.officer_id is not null
        and cast(d.received_at as date) between $date_from and $date_to
    group by d.commune_code, d.officer_id
),

latest as (
    select
        dossier_id,
        arg_max(officer_id, step_at) as officer_id,
        any_value(commune_code) as commune_code,
        any_value(status) as status,
        any_value(received_at) as received_at,
        any_value(finished_at) as finished_at,
        any_value(due_at) as due_at
    from step_rows
    where officer_id is not null
    group by dossier_id
),

holding as (
    select
        d.commune_code,
        d.officer_id,
        count(*) as open,
        count(*) filter (where @overdue_on(d, $date_to)) as overdue
    from latest as d
    where @open_on(d, $date_to)
    group by d.commune_code, d.officer_id
),

final as (
    select
        coalesce(h.commune_code, t.commune_code, o.commune_code) as commune_code,
        coalesce(h.officer_id, t.officer_id, o.officer_id) as officer_id,
        coalesce(t.received, 0) as received,
        coalesce(h.steps, 0) as steps,
        coalesce(o.open, 0) as open,
        coalesce(o.overdue, 0) as overdue
    from handled as h
    full outer join took_in as t
        on h.commune_code = t.commune_code and h.officer_id = t.officer_id
    full outer join holding as o
        on coalesce(h.commune_code, t.commune_code) = o.commune_code
        and coalesce(h.officer_id, t.officer_id) = o.officer_id
)

select * from final
