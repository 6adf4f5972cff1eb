-- Row counts of the reference tables, reported by load_reference.
with final as (
    select
        (select count(*) from communes) as communes,
        (select count(distinct province_code) from communes) as provinces,
        (select count(*) from old_units) as old_units,
        (select count(*) from procedures) as procedures,
        (select count(*) from targets) as targets
)

select * from final
