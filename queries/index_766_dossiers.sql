-- The facts of each dossier the national index reads (docs/index-766.md, ../shared/spec/index-766.md),
-- one row per dossier of the province (or of $commune) that the period $date_from..$date_to can
-- concern: those that belong to it (by received day, else submission day) and those of 2.1 (accepted,
-- received by $date_to, not finished before $date_from). ioc/index766.py judges and counts them.
-- Supplement cycles come from the processing log: a cycle opens at a step whose status becomes
-- 'supplement_requested' (after a step of another status, or as the first step) and closes at the
-- next step of any other status.
with province_communes as (
    select commune_code
    from communes
    where province_code = $province
        and ($commune is null or commune_code = $commune)
),

scoped as (
    select
        d.dossier_id,
        d.commune_code,
        d.procedure_code,
        d.channel,
        d.status,
        d.received_at,
        d.due_at,
        d.finished_at,
        d.returned_at,
        d.paid_online,
        d.digitized,
        d.vneid_verified,
        d.e_result_issued,
        d.synced_to_portal,
        coalesce(cast(d.received_at as date), cast(d.submitted_at as date)) as period_day,
        @status_received(d) and d.received_at is not null as accepted,
        coalesce(p.service_level, d.service_level) as procedure_level,
        coalesce(p.has_fee, d.has_fee) as fee_bearing,
        p.statutory_days,
        p.paper_result,
        p.published
    from dossiers as d
    semi join province_communes as c on c.commune_code = d.commune_code
    left join procedures as p on p.procedure_code = d.procedure_code
    where coalesce(cast(d.received_at as date), cast(d.submitted_at as date)) <= $date_to
        and (
            coalesce(cast(d.received_at as date), cast(d.submitted_at as date)) >= $date_from
            or d.finished_at is null
            or cast(d.finished_at as date) >= $date_from
        )
),

ordered_steps as (
    select
        s.dossier_id,
        s.step_at,
        s.status_after,
        coalesce(
            lag(s.status_after) over by_time <> 'supplement_requested', true
        ) as after_other,
        min(case when s.status_after <> 'supplement_requested' then s.step_at end) over (
            by_time rows between 1 following and unbounded following
        ) as next_other_at
    from dossier_steps as s
    semi join scoped as d on d.dossier_id = s.dossier_id
    window by_time as (partition by s.dossier_id order by s.step_at)
),

step_facts as (
    select
        dossier_id,
        count(*) filter (
            where status_after = 'supplement_requested' and after_other
        ) as requests,
        list(
            {'opened_at': step_at, 'closed_at': next_other_at} order by step_at
        ) filter (where status_after = 'supplement_requested' and after_other) as cycles,
        min(step_at) filter (where status_after in ('stopped', 'withdrawn')) as ended_at
    from ordered_steps
    group by dossier_id
),

final as (
    select
        d.*,
        coalesce(f.requests, 0) as requests,
        f.cycles,
        f.ended_at
    from scoped as d
    left join step_facts as f on f.dossier_id = d.dossier_id
)

select * from final
