-- Open dossiers at $as_of that are overdue or due soon (kpi.md open_overdue / open_due_soon), with
-- the applicant already masked at ingest. Dossier-level: $commune comes from Scope.dossier_commune.
-- $due_soon_until: next working day after day(as_of). At most $limit rows, most overdue first.
with province_communes as (
    select
        commune_code,
        commune_name
    from communes
    where province_code = $province
        and ($commune is null or commune_code = $commune)
),

-- open at as_of: not finished yet (rollup_unfinished, a few rows, holding the columns below), or
-- finished after day(as_of) (a past as_of; zone maps on finished_at skip almost every block)
open_candidates as (
    select u.* exclude (province_code)
    from rollup_unfinished as u
    where u.province_code = $province
        and ($commune is null or u.commune_code = $commune)
    union all by name
    select
        d.dossier_id,
        d.commune_code,
        d.procedure_code,
        d.channel,
        d.status,
        d.received_at,
        d.due_at,
        d.applicant_masked,
        d.finished_at
    from dossiers as d
    semi join province_communes as c on c.commune_code = d.commune_code
    where d.finished_at >= cast($as_of as date) + interval 1 day
        and ($commune is null or d.commune_code = $commune)
),

open_now as (
    select *
    from open_candidates as o
    where @open_on(o, cast($as_of as date))
        and (
            @overdue_on(o, cast($as_of as date))
            or @due_soon_on(o, cast($as_of as date), cast($due_soon_until as date))
        )
    order by o.due_at, o.dossier_id
    limit $limit
),

final as (
    select
        o.dossier_id,
        o.commune_code,
        c.commune_name,
        o.procedure_code,
        p.procedure_name,
        o.channel,
        o.status,
        o.received_at,
        o.due_at,
        o.applicant_masked,
        case
            when @overdue_on(o, cast($as_of as date)) then 'overdue'
            else 'due_soon'
        end as state
    from open_now as o
    inner join province_communes as c on c.commune_code = o.commune_code
    left join procedures as p on p.procedure_code = o.procedure_code
)

select * from final
order by due_at, dossier_id
