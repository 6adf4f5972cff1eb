-- New and already-known parcels of the land file being imported (ingest_land_batch).
with batch as (
    select
        b.parcel_id,
        p.parcel_id is not null as known
    from ingest_land_batch as b
    left join parcels as p on p.parcel_id = b.parcel_id
),

final as (
    select
        count(*) filter (where not known) as inserted,
        count(*) filter (where known) as updated
    from batch
)

select * from final
