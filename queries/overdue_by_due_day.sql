-- Open overdue dossiers at $as_of (kpi.md open_overdue: open at the end of day(as_of), due day
-- before it) counted per commune, procedure and due day: counts only, no dossier row, so every
-- role may see them. ioc/meeting.py turns the due day into working days late. The candidates are
-- those of open_dossiers.sql: not finished yet (rollup_unfinished), or finished after day(as_of).
with province_communes as (
    select commune_code
    from communes
    where province_code = $province
),

open_candidates as (
    select
        u.commune_code,
        u.procedure_code,
        u.status,
        u.received_at,
        u.due_at,
        null::timestamp as finished_at
    from rollup_unfinished as u
    where u.province_code = $province
    union all
    select
        d.commune_code,
        d.procedure_code,
        d.status,
        d.received_at,
        d.due_at,
        d.finished_at
    from dossiers as d
    semi join province_communes as c on c.commune_code = d.commune_code
    where d.finished_at >= cast($as_of as date) + interval 1 day
),

final as (
    select
        o.commune_code,
        o.procedure_code,
        cast(o.due_at as date) as due_day,
        count(*) as overdue
    from open_candidates as o
    where @open_on(o, cast($as_of as date))
        and @overdue_on(o, cast($as_of as date))
    group by all
)

select * from final
order by commune_code, procedure_code, due_day
