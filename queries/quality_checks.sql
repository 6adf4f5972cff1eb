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

-- newest record and today's records look at every dossier, whatever the period
events as (
    select
        case $grain
            when 'source' then coalesce(d.source_file, '?')
            else d.commune_code
        end as group_key,
        greatest(
            d.submitted_at,
            d.received_at,
            d.finished_at,
            d.returned_at,
            d.rejected_at
        ) as last_event_at
    from dossiers as d
    left join communes as c on c.commune_code = d.commune_code
    where c.province_code = $province
        or (c.commune_code is null and $grain = 'source')
),

activity as (
    select
        e.group_key,
        max(e.last_event_at) filter (where e.last_event_at <= pr.as_of) as newest_at,
        count(*) filter (
            where e.last_event_at between pr.today_from and pr.as_of
        ) as events_today
    from events as e
    cross join params as pr
    group by e.group_key
),

-- the checks look at the period's rows only (a suspected duplicate shares its day of receipt, so
-- the window over the period's rows finds every one of them)
in_period as (
    select
        case $grain
            when 'source' then coalesce(d.source_file, '?')
            else d.commune_code
        end as group_key,
        d.*,
        c.commune_code is not null as commune_known,
        p.procedure_code is not null
            and coalesce(p.code_status, 'verified') <> 'unknown' as procedure_known
    from dossiers as d
    left join communes as c on c.commune_code = d.commune_code
    left join procedures as p on p.procedure_code = d.procedure_code
    cross join params as pr
    where (
        c.province_code = $province
        or (c.commune_code is null and $grain = 'source')
    )
        -- on the raw timestamp first, so zone maps can skip blocks
        and (d.received_at >= cast(pr.date_from as timestamp) or d.received_at is null)
        and cast(coalesce(d.received_at, d.submitted_at) as date)
        between pr.date_from and pr.date_to
),

flagged as (
    select
        s.*,
        coalesce(@status_received(s), true) as due_required,
        coalesce(
            (@status_resolved(s) and s.finished_at is null)
            or (@status_received(s) and s.received_at is null)
            or (s.finished_at < s.received_at)
            or (cast(s.due_at as date) < cast(s.received_at as date))
            or (
                @status_in_progress(s)
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
        ) as national_codes
    from in_period as s
),

checks as (
    select
        group_key,
        count(*) as rows,
        count(*) filter (where not date_conflict and procedure_known) as rows_passing,
        count(*) filter (where date_conflict) as date_conflicts,
        count(*) filter (where not procedure_known) as unknown_procedure,
        cast(sum(3 + cast(due_required as integer)) as bigint) as fields_required,
        cast(sum(
            cast(commune_code is not null as integer)
            + cast(channel is not null as integer)
            + cast(service_level is not null as integer)
            + cast(due_required and due_at is not null as integer)
        ) as bigint) as fields_filled,
        count(*) filter (where due_required and due_at is null) as missing_due_date,
        count(*) filter (where suspected_duplicate) as suspected_duplicates,
        count(*) filter (where national_codes) as national_codes
    from flagged
    group by group_key
),

final as (
    select
        a.group_key,
        coalesce(c.rows, 0) as rows,
        coalesce(c.rows_passing, 0) as rows_passing,
        coalesce(c.date_conflicts, 0) as date_conflicts,
        coalesce(c.unknown_procedure, 0) as unknown_procedure,
        coalesce(c.fields_required, 0) as fields_required,
        coalesce(c.fields_filled, 0) as fields_filled,
        coalesce(c.missing_due_date, 0) as missing_due_date,
        coalesce(c.suspected_duplicates, 0) as suspected_duplicates,
        coalesce(c.national_codes, 0) as national_codes,
        a.newest_at,
        a.events_today
    from activity as a
    left join checks as c on c.group_key = a.group_key
)

select * from final
order by group_key
