-- The name of the store's own catalog: the source of COPY FROM DATABASE in a backup snapshot.
with final as (
    select current_database() as database_name
)

select * from final
