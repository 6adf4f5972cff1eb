-- Open dossiers at $as_of that are overdue or due soon (kpi.md open_overdue / open_due_soon), with
-- the applicant already masked at ingest. Dossier-level: $commune comes from Scope.dossier_commune.
-- $due_soon_until: next working day after day(as_of). At most $limit rows, most overdue first.
with params as (
    select
        cast($as_of as timestamp) as as_of,
        cast($as_of as date) as as_of_day,
        cast($due_soon_until as date) as due_soon_until
),

open_now as (
    select
        d.dossier_id,
        d.commune_code,
        c.commune_name,
        d.procedure_code,
        p.procedure_name,
        d.channel,
        d.status,
        d.received_at,
        d.due_at,
        d.applicant_masked,
        case
            when cast(d.due_at as date) < pr.as_of_day then 'overdue'
            else 'due_soon'
        end as state
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    left join procedures as p on p.procedure_code = d.procedure_code
    cross join params as pr
    where c.province_code = $province
        and ($commune is null or d.commune_code = $commune)
        and cast(d.received_at as date) <= pr.as_of_day
        and d.status not in ('registered', 'rejected', 'withdrawn', 'stopped')
        and (d.finished_at is null or cast(d.finished_at as date) > pr.as_of_day)
        and cast(d.due_at as date) <= pr.due_soon_until
),

final as (
    select
        dossier_id,
        commune_code,
        commune_name,
        procedure_code,
        procedure_name,
        channel,
        status,
        received_at,
        due_at,
        applicant_masked,
        state
    from open_now
    order by due_at, dossier_id
    limit $limit
)

select * from final
