-- Row count and an order-independent checksum of one table ($table_name comes from backup_tables).
with final as (
    select
        count(*) as row_count,
        -- text: the sum of 64-bit hashes outgrows a 64-bit integer, and JSON keeps text exactly
        cast(coalesce(sum(hash(t)), 0) as varchar) as checksum
    from query_table($table_name) as t
)

select * from final
