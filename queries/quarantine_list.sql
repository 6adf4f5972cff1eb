-- Quarantined rows with their state (open first), for `ioc quarantine list`.
with rows_listed as (
    select
        run_id,
        source_file,
        row_number,
        coalesce(status, 'open') as status,
        reason_code,
        reason_vi,
        reason_en,
        problem_kind,
        problem_value,
        closed_by,
        closed_at
    from quarantine
    where $all_states or coalesce(status, 'open') = 'open'
),

final as (
    select *
    from rows_listed
)

select * from final
order by status = 'open' desc, source_file, row_number
