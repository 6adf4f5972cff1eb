-- A short processing log for the demo dossiers still open at $until: reception, hand-over to the
-- specialist, and the supplement or payment request that holds them. Every step is at or before
-- $until.
insert into dossier_steps (
    dossier_id,
    step_at,
    unit,
    action,
    status_after,
    step_due_at
)
with open_dossiers as (
    select
        dossier_id,
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

final as (
    select * from received
    union all
    select * from handed_over
    union all
    select * from held
)

select * from final
