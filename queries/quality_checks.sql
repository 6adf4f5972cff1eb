-- Per group, the measured figures behind the data-quality criteria (đúng, đủ, sạch, sống, dùng
-- chung) of ioc/quality.py, which turns them into shares and the commune data-quality score.
-- $grain: 'commune' | 'source' (an allowlisted value, not an identifier).
-- Rows counted: dossiers whose day(coalesce(received_at, submitted_at)) is in the period.
-- newest_at looks at every dossier of the group up to $as_of, whatever the period.
with params as (
    select
        cast($date_from as date) as date_from,
        cast($date_to as date) as date_to,
        cast($as_of as timestamp) as as_of,
        cast($today_from as timestamp) as today_from
),

scoped as (
    select
        case $grain
            when 'source' then coalesce(d.source_file, '?')
            else d.commune_code
        end as group_key,
        d.*,
        c.commune_code is not null as commune_known,
        p.procedure_code is not null
            and coalesce(p.code_status, 'verified') <> 'unknown' as procedure_known,
        greatest(
            d.submitted_at,
            d.received_at,
            d.finished_at,
            d.returned_at,
            d.rejected_at
        ) as last_event_at
    from dossiers as d
    left join communes as c on c.commune_code = d.commune_code
    left join procedures as p on p.procedure_code = d.procedure_code
    where c.province_code = $province
        or (c.commune_code is null and $grain = 'source')
),

flagged as (
    select
        s.*,
        cast(coalesce(s.received_at, s.submitted_at) as date)
            between pr.date_from and pr.date_to as in_period,
        coalesce(s.status not in ('registered', 'rejected'), true) as due_required,
        coalesce(
            (s.status in ('finished', 'returned') and s.finished_at is null)
            or (s.status not in ('registered', 'rejected') and s.received_at is null)
            or (s.finished_at < s.received_at)
            or (cast(s.due_at as date) < cast(s.received_at as date))
            or (
                s.status in ('accepted', 'processing', 'supplement_requested', 'payment_requested')
                and s.finished_at is not null
            ),
            false
        ) as date_conflict,
        s.applicant_key is not null
            and s.received_at is not null
            and row_number() over (
                partition by
                    s.applicant_key,
                    s.procedure_code,
                    s.commune_code,
                    cast(s.received_at as date)
                order by s.dossier_id
            ) > 1 as suspected_duplicate,
        coalesce(
            s.commune_known
            and regexp_full_match(s.commune_code, '[0-9]{5}')
            and s.procedure_known
            and regexp_full_match(s.procedure_code, '[0-9]\.[0-9]{6}'),
            false
        ) as national_codes,
        s.last_event_at between pr.today_from and pr.as_of as event_today,
        pr.as_of
    from scoped as s
    cross join params as pr
),

final as (
    select
        group_key,
        count(*) filter (where in_period) as rows,
        count(*) filter (
            where in_period and not date_conflict and procedure_known
        ) as rows_passing,
        count(*) filter (where in_period and date_conflict) as date_conflicts,
        count(*) filter (where in_period and not procedure_known) as unknown_procedure,
        cast(sum(3 + cast(due_required as integer)) filter (where in_period) as bigint)
            as fields_required,
        cast(sum(
            cast(commune_code is not null as integer)
            + cast(channel is not null as integer)
            + cast(service_level is not null as integer)
            + cast(due_required and due_at is not null as integer)
        ) filter (where in_period) as bigint) as fields_filled,
        count(*) filter (where in_period and due_required and due_at is null) as missing_due_date,
        count(*) filter (where in_period and suspected_duplicate) as suspected_duplicates,
        count(*) filter (where in_period and national_codes) as national_codes,
        max(last_event_at) filter (where last_event_at <= as_of) as newest_at,
        count(*) filter (where event_today) as events_today
    from flagged
    group by group_key
)

select * from final
order by group_key
