-- When the commune's oldest dossier still open at $as_of was received (kpi.md open_at_end), for the
-- age shown on the chair's first screen. One row, null when nothing is open. An aggregate: no
-- dossier row leaves the query. Candidates as in open_dossiers.sql: not finished yet
-- (rollup_unfinished), or finished after day(as_of).
with open_candidates as (
    select
        u.commune_code,
        u.status,
        u.received_at,
        cast(null as timestamp) as finished_at
    from rollup_unfinished as u
    where u.province_code = $province
        and u.commune_code = $commune
    union all by name
    select
        d.commune_code,
        d.status,
        d.received_at,
        d.finished_at
    from dossiers as d
    where d.commune_code = $commune
        and d.finished_at >= cast($as_of as date) + interval 1 day
)

select min(o.received_at) as oldest_received_at
from open_candidates as o
where @open_on(o, cast($as_of as date))
