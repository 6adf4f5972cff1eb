-- The rejected rows of one import with their reasons, in file order.
with rows_of_run as (
    select
        row_number,
        reason_code,
        reason_vi,
        reason_en,
        raw_values
    from quarantine
    where run_id = $run_id
),

final as (
    select *
    from rows_of_run
)

select * from final
order by row_number
