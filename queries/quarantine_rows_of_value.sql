-- The open quarantined rows one value sent there (kind, value; the source system for headers),
-- in file order: samples for the mapping page, and the rows to settle one by one.
with open_rows as (
    select
        run_id,
        source_file,
        row_number,
        raw_values,
        reason_vi,
        reason_en,
        settled_commune
    from quarantine
    where coalesce(status, 'open') = 'open'
        and problem_kind = $kind
        and coalesce(problem_value, '') = $value
        and ($source_key = '' or coalesce(source_key, '') = $source_key)
),

final as (
    select *
    from open_rows
)

select * from final
order by source_file, row_number
limit $limit
