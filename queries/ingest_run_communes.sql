-- Communes of the dossiers one import wrote (inserted or updated: they carry its run id).
with written as (
    select commune_code
    from dossiers
    where ingest_run_id = $run_id
        and commune_code is not null
),

final as (
    select distinct commune_code
    from written
)

select * from final
