-- Pre-2025 wards and the new communes they went into (frame ref_old_units).
insert into old_units (
    old_province,
    old_district,
    old_ward,
    old_ward_code,
    commune_code,
    is_split
)
with final as (
    select
        old_province,
        old_district,
        old_ward,
        old_ward_code,
        commune_code,
        is_split
    from ref_old_units
)

select * from final
