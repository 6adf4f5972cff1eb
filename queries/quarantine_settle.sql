-- The commune an administrator picked for some quarantined rows (registered frame
-- quarantine_keys: run_id, row_number), e.g. an old ward split across several new communes.
update quarantine set
    settled_commune = $commune_code
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
