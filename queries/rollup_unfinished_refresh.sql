-- The dossiers not finished yet (finished_at null) of the communes being refreshed, with what the
-- open-dossier lists show.
insert into rollup_unfinished
with final as (
    select
        c.province_code,
        d.commune_code,
        d.dossier_id,
        d.procedure_code,
        d.channel,
        d.status,
        d.received_at,
        d.due_at,
        d.applicant_masked
    from dossiers as d
    inner join communes as c on c.commune_code = d.commune_code
    where d.finished_at is null
        and ($everything or list_contains($communes, d.commune_code))
)

select * from final
order by province_code, commune_code
