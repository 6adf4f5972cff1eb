-- Of a catalogue import's rows (registered frame ingest_batch_catalogue): how many are codes the
-- store does not hold and how many change a flag it holds; a flag left empty in the file keeps
-- the stored one, so re-importing a catalogue counts in neither.
with final as (
    select
        count(*) filter (where p.procedure_code is null) as inserted,
        count(*) filter (
            where p.procedure_code is not null
            and (
                coalesce(b.published, p.published) is distinct from p.published
                or coalesce(b.paper_result, p.paper_result) is distinct from p.paper_result
            )
        ) as updated
    from ingest_batch_catalogue as b
    left join procedures as p on p.procedure_code = b.procedure_code
)

select * from final
