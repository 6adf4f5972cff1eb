-- The procedure catalogue as the demo generator needs it (defaults where the catalogue is silent).
with final as (
    select
        procedure_code,
        procedure_name,
        coalesce(service_level, 'partial') as service_level,
        coalesce(statutory_days, 1) as statutory_days,
        coalesce(has_fee, false) as has_fee,
        coalesce(is_land, false) as is_land
    from procedures
    order by procedure_code
)

select * from final
