-- What a reference refresh would change (`ioc init --refresh`): the packages' rows (frames
-- ref_communes, ref_procedures, ref_old_units) against the store's. One row per change: the kind,
-- the code, and the row before and after in words. Dossiers are never part of it.
with commune_changes as (
    select
        'commune_added' as change,
        r.commune_code as code,
        null as before,
        r.commune_name || ' (' || r.province_name || ')' as after
    from ref_communes as r
    anti join communes as c on c.commune_code = r.commune_code
    union all
    select
        'commune_renamed' as change,
        c.commune_code as code,
        c.commune_name || ' (' || c.province_name || ')' as before,
        r.commune_name || ' (' || r.province_name || ')' as after
    from communes as c
    inner join ref_communes as r on r.commune_code = c.commune_code
    where c.commune_name <> r.commune_name or c.province_code <> r.province_code
    union all
    select
        'commune_not_listed' as change,
        c.commune_code as code,
        c.commune_name as before,
        null as after
    from communes as c
    anti join ref_communes as r on r.commune_code = c.commune_code
),

procedure_changes as (
    select
        'procedure_added' as change,
        r.procedure_code as code,
        null as before,
        r.procedure_name as after
    from ref_procedures as r
    anti join procedures as p on p.procedure_code = r.procedure_code
    union all
    select
        'procedure_changed' as change,
        p.procedure_code as code,
        concat_ws(' · ', p.procedure_name, p.field_name, p.service_level, p.statutory_days) as before,
        concat_ws(' · ', r.procedure_name, r.field_name, r.service_level, r.statutory_days) as after
    from procedures as p
    inner join ref_procedures as r on r.procedure_code = p.procedure_code
    where p.procedure_name is distinct from r.procedure_name
        or p.field_name is distinct from r.field_name
        or p.service_level is distinct from r.service_level
        or p.statutory_days is distinct from r.statutory_days
        or p.has_fee is distinct from r.has_fee
        or p.is_land is distinct from r.is_land
),

old_unit_changes as (
    select
        'old_unit_added' as change,
        a.old_ward_code as code,
        null as before,
        a.old_ward || ', ' || a.old_district || ' -> ' || a.commune_code as after
    from (select * from ref_old_units except select * from old_units) as a
    union all
    select
        'old_unit_removed' as change,
        g.old_ward_code as code,
        g.old_ward || ', ' || g.old_district || ' -> ' || g.commune_code as before,
        null as after
    from (select * from old_units except select * from ref_old_units) as g
),

final as (
    select * from commune_changes
    union all
    select * from procedure_changes
    union all
    select * from old_unit_changes
)

select * from final
order by change, code
