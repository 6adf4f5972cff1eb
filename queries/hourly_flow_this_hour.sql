-- Received and resolved dossiers of $province (or only $commune, when not null) in the clock hour
-- $as_of is in, up to $as_of: what queries/hourly_flow.sql's rollup row cannot say when that hour
-- also holds later events. A plain timestamp range, so zone maps skip the history.
with province_communes as (
    select commune_code
    from communes
    where province_code = $province
        and ($commune is null or commune_code = $commune)
),

received as (
    select count(*) as received
    from dossiers as d
    semi join province_communes as c on c.commune_code = d.commune_code
    where d.received_at >= date_trunc('hour', cast($as_of as timestamp))
        and d.received_at <= cast($as_of as timestamp)
        and @received(d)
),

resolved as (
    select count(*) as resolved
    from dossiers as d
    semi join province_communes as c on c.commune_code = d.commune_code
    where d.finished_at >= date_trunc('hour', cast($as_of as timestamp))
        and d.finished_at <= cast($as_of as timestamp)
        and @resolved(d)
)

select
    received.received,
    resolved.resolved
from received cross join resolved
