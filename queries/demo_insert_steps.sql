-- A short processing log for the demo dossiers still open at $until: reception, hand-over to the
-- specialist, and the supplement or payment request that holds them. Every step is at or before
-- $until. Each step names an officer of the commune's roster in force that day (issue 19), picked
-- by a hash of the dossier and the action: the same in a build and in the live feed.
insert into dossier_steps (
    dossier_id,
    step_at,
    unit,
    action,
    status_after,
    step_due_at,
    officer_id
)
with open_dossiers as (
    select
        dossier_id,
        commune_code,
        status,
        received_at,
        due_at,
        epoch(cast($until as timestamp) - received_at) as open_seconds
    from dossiers
    where source_file = $source_file
        and status in ('accepted', 'processing', 'supplement_requested', 'payment_requested')
),

received as (
    select
        dossier_id,
        commune_code,
        received_at as step_at,
        'Bộ phận Một cửa' as unit,
        'Tiếp nhận hồ sơ' as action,
        'accepted' as status_after,
        due_at as step_due_at
    from open_dossiers
),

handed_over as (
    select
        dossier_id,
        commune_code,
        received_at + to_seconds(cast(least(open_seconds * 0.2, 3600) as bigint)) as step_at,
        'Công chức chuyên môn' as unit,
        'Chuyển xử lý' as action,
        'processing' as status_after,
        due_at as step_due_at
    from open_dossiers
    where status <> 'accepted'
),

held as (
    select
        dossier_id,
        commune_code,
        received_at + to_seconds(cast(open_seconds * 0.6 as bigint)) as step_at,
        'Công chức chuyên môn' as unit,
        case
            when status = 'supplement_requested' then 'Yêu cầu bổ sung hồ sơ'
            else 'Yêu cầu thực hiện nghĩa vụ tài chính'
        end as action,
        status as status_after,
        cast(null as timestamp) as step_due_at
    from open_dossiers
    where status in ('supplement_requested', 'payment_requested')
),

steps as (
    select * from received
    union all
    select * from handed_over
    union all
    select * from held
),

on_duty as (
    select
        s.dossier_id,
        s.action,
        r.officer_id,
        row_number() over (
            partition by s.dossier_id, s.action order by r.officer_id
        ) - 1 as position,
        count(*) over (partition by s.dossier_id, s.action) as officers
    from steps as s
    inner join staff_roster as r
        on s.commune_code = r.commune_code
        and cast(s.step_at as date) >= r.from_date
        and (r.to_date is null or cast(s.step_at as date) <= r.to_date)
    where r.source_file = $source_file
),

picked as (
    select
        dossier_id,
        action,
        officer_id
    from on_duty
    where position = hash(dossier_id || action) % officers
),

final as (
    select
        s.dossier_id,
        s.step_at,
        s.unit,
        s.action,
        s.status_after,
        s.step_due_at,
        p.officer_id
    from steps as s
    left join picked as p
        on s.dossier_id = p.dossier_id
        and s.action = p.action
)

select * from final
