-- Open quarantined rows (not resolved or deleted) by source file and reason, newest files first.
with reasons as (
    select
        coalesce(source_file, '?') as source_file,
        coalesce(reason_code, '?') as reason_code,
        any_value(reason_vi) as reason_vi,
        any_value(reason_en) as reason_en,
        count(*) as quarantined_rows
    from quarantine
    where coalesce(status, 'open') = 'open'
    group by all
),

final as (
    select
        source_file,
        reason_code,
        reason_vi,
        reason_en,
        quarantined_rows
    from reasons
)

select * from final
order by quarantined_rows desc, source_file, reason_code
