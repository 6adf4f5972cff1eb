-- Close quarantined rows (registered frame quarantine_keys: run_id, row_number) as resolved
-- (landed by run $closed_run_id) or deleted by an administrator; returns the count.
update quarantine set
    status = $status,
    closed_by = $closed_by,
    closed_at = $closed_at,
    closed_run_id = $closed_run_id
from (
    with final as (
        select
            run_id,
            row_number
        from quarantine_keys
    )

    select * from final
) as k
where quarantine.run_id = k.run_id
    and quarantine.row_number = k.row_number
    and coalesce(quarantine.status, 'open') = 'open'
