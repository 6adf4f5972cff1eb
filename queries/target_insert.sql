-- A new target row. History is never edited: a later decision is a new row with a later
-- effective_from (queries/targets_in_force.sql picks the latest one in force).
insert into targets (
    metric,
    scope,
    target,
    effective_from,
    effective_to,
    note,
    created_at
)
select
    $metric,
    $scope,
    $target,
    cast($effective_from as date),
    null,
    $note,
    cast($created_at as timestamp)
