-- Rows a retry still rejects (registered frame quarantine_keys): their reason as it is now.
update quarantine set
    reason_code = k.reason_code,
    reason_vi = k.reason_vi,
    reason_en = k.reason_en,
    problem_kind = k.problem_kind,
    problem_value = k.problem_value
from (
    with final as (
        select
            run_id,
            row_number,
            reason_code,
            reason_vi,
            reason_en,
            problem_kind,
            problem_value
        from quarantine_keys
    )

    select * from final
) as k
where quarantine.run_id = k.run_id
    and quarantine.row_number = k.row_number
