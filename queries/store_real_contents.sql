-- What a store holds that `ioc demo` would destroy: import runs (other than the demo's own: its
-- live feed and its flawed export, named demo*), accounts other than the demo ones, and the
-- production / real-data marks.
with final as (
    select
        (select count(*) from ingest_runs where source_file not like 'demo%') as imports,
        (select count(*) from users where not is_demo) as accounts,
        exists (
            select 1 from meta where key in ('production', 'real_data') and value = '1'
        ) as marked
)

select * from final
