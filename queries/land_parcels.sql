-- Commune view of the land map, and the parcel search: the parcels of $commune, each with the state
-- of its latest dossier (by received_at) at $as_of, optionally filtered by $land_use, $state,
-- $map_sheet and $parcel_no (null = all; sheet and number as typed: surrounding spaces and leading
-- zeros are ignored, so '05' finds sheet 5), geometry simplified to $tolerance degrees (a pixel at
-- the view's zoom; 0 keeps it whole). No per-request precision reduction (ST_ReducePrecision cost
-- ~10x the rest): coordinates are stored on a fine grid already (demo 1e-6, land import 1e-7).
-- Parcels are stored grouped by commune (demo build, land import), so the commune filter reads a
-- few row groups only.
-- States: none (no dossier, or the latest was registered/rejected/withdrawn/stopped), processing,
-- due_soon (due by $due_soon_until, the next working day), overdue (due day before day(as_of)),
-- done (finished/returned) — the open/overdue/due-soon rules of kpi.md. Only the state leaves this
-- query, no dossier detail, so it needs no scope. Needs the spatial extension.
with params as (
    select
        cast($as_of as date) as as_of_day,
        cast($due_soon_until as date) as due_soon_until,
        ltrim(trim($map_sheet), '0') as wanted_sheet,
        ltrim(trim($parcel_no), '0') as wanted_parcel
),

commune_parcels as (
    select
        parcel_id,
        map_sheet,
        parcel_no,
        area_m2,
        land_use_code,
        address,
        lon,
        lat,
        geometry
    from parcels
    cross join params as pa
    where commune_code = $commune
        and ($land_use is null or land_use_code = $land_use)
        and (pa.wanted_sheet is null or ltrim(map_sheet, '0') = pa.wanted_sheet)
        and (pa.wanted_parcel is null or ltrim(parcel_no, '0') = pa.wanted_parcel)
),

latest as (
    select
        d.map_sheet,
        d.parcel_no,
        d.status,
        d.received_at,
        d.due_at,
        d.finished_at
    from dossiers as d
    where d.commune_code = $commune
        and d.parcel_no is not null
    qualify row_number() over (
        partition by d.map_sheet, d.parcel_no
        order by d.received_at desc nulls last, d.dossier_id desc
    ) = 1
),

stated as (
    select
        p.*,
        case
            when l.status is null
                or not @status_handled(l)
                or cast(l.received_at as date) > pa.as_of_day then 'none'
            when @status_resolved(l)
                and cast(l.finished_at as date) <= pa.as_of_day then 'done'
            when @overdue_on(l, pa.as_of_day) then 'overdue'
            when @due_soon_on(l, pa.as_of_day, pa.due_soon_until) then 'due_soon'
            else 'processing'
        end as state
    from commune_parcels as p
    left join latest as l
        on l.map_sheet = p.map_sheet
        and l.parcel_no = p.parcel_no
    cross join params as pa
),

final as (
    select
        parcel_id,
        map_sheet,
        parcel_no,
        area_m2,
        land_use_code,
        address,
        lon,
        lat,
        state,
        st_asgeojson(
            st_simplifypreservetopology(st_geomfromgeojson(geometry), $tolerance)
        ) as geometry
    from stated
    where $state is null or state = $state
    order by map_sheet, parcel_no
)

select * from final
