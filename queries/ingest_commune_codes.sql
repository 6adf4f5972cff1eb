-- Every known commune code (codes are matched in any province).
with codes as (
    select commune_code
    from communes
),

final as (
    select commune_code
    from codes
)

select * from final
