-- Open quarantined rows grouped by the value that sent them there (kind + value, and the source
-- system for headers): how many rows, from which files.
with open_rows as (
    select
        problem_kind,
        coalesce(problem_value, '') as problem_value,
        coalesce(source_key, '') as source_key,
        source_file,
        reason_code
    from quarantine
    where coalesce(status, 'open') = 'open'
        and problem_kind is not null
),

final as (
    select
        problem_kind,
        problem_value,
        case when problem_kind = 'header' then source_key else '' end as source_key,
        any_value(reason_code) as reason_code,
        count(*) as row_count,
        string_agg(distinct source_file, ', ' order by source_file) as source_files
    from open_rows
    group by all
)

select * from final
order by row_count desc, problem_kind, problem_value
