-- The tables of the store (main schema of the current database), for a backup's fingerprint.
-- An attached backup target is another catalog, so it is never listed here.
with final as (
    select table_name
    from information_schema.tables
    where table_schema = 'main'
        and table_catalog = current_database()
)

select * from final
order by table_name
