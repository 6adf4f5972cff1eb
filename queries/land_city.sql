-- City view of the land map: one row per commune of $province with its parcels, their area and its
-- land dossiers open at $as_of (kpi.md open_at_end / open_overdue / open_due_soon, restricted to
-- land dossiers: a land procedure or a dossier linked to a parcel), and the commune cell simplified
-- for $zoom as land_cells_refresh.sql stored it; cell_stale: the cell has a geometry whose
-- simplification is missing or was made from another geometry (ioc.land.city_view refreshes those
-- and asks again). Aggregates: no scope needed. Needs no extension.
with params as (
    select
        cast($as_of as date) as as_of_day,
        cast($due_soon_until as date) as due_soon_until
),

cells as (
    select
        commune_code,
        commune_name,
        lat,
        lon,
        geometry
    from communes
    where province_code = $province
),

parcel_totals as (
    select
        p.commune_code,
        count(*) as parcels,
        sum(p.area_m2) as area_m2
    from parcels as p
    inner join cells as c on c.commune_code = p.commune_code
    group by p.commune_code
),

open_land as (
    select
        d.commune_code,
        d.due_at
    from dossiers as d
    inner join cells as c on c.commune_code = d.commune_code
    left join procedures as pr on pr.procedure_code = d.procedure_code
    cross join params as pa
    where (pr.is_land or d.parcel_no is not null)
        and @open_on(d, pa.as_of_day)
),

dossier_totals as (
    select
        o.commune_code,
        count(*) as open_dossiers,
        count(*) filter (where @overdue_on(o, pa.as_of_day)) as overdue,
        count(*) filter (where @due_soon_on(o, pa.as_of_day, pa.due_soon_until)) as due_soon
    from open_land as o
    cross join params as pa
    group by o.commune_code
),

final as (
    select
        c.commune_code,
        c.commune_name,
        c.lat,
        c.lon,
        coalesce(pt.parcels, 0) as parcels,
        coalesce(pt.area_m2, 0) as area_m2,
        coalesce(dt.open_dossiers, 0) as open_dossiers,
        coalesce(dt.overdue, 0) as overdue,
        coalesce(dt.due_soon, 0) as due_soon,
        sc.geometry,
        c.geometry is not null and sc.source_md5 is distinct from md5(c.geometry) as cell_stale
    from cells as c
    left join parcel_totals as pt on pt.commune_code = c.commune_code
    left join dossier_totals as dt on dt.commune_code = c.commune_code
    left join simplified_cells as sc on sc.commune_code = c.commune_code and sc.zoom = $zoom
    order by c.commune_code
)

select * from final
