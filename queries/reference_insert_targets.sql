-- The default targets (frame ref_targets), only into an empty targets table: an admin's targets
-- and the history of decisions are never touched.
insert into targets (
    metric,
    scope,
    target,
    effective_from,
    note
)
with existing as (
    select count(*) as n
    from targets
),

final as (
    select
        t.metric,
        t.scope,
        t.target,
        t.effective_from,
        t.note
    from ref_targets as t
    cross join existing as e
    where e.n = 0
)

select * from final
