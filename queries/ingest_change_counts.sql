-- New and changed dossiers of the file being imported (see ingest_stage_changes).
with changes as (
    select is_update
    from ingest_changes
),

final as (
    select
        count(*) filter (where not is_update) as inserted,
        count(*) filter (where is_update) as updated
    from changes
)

select * from final
