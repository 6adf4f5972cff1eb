-- Feedback items per topic received in the period ($date_from..$date_to) and in the period of
-- the same length before it ($before_from..$before_to), and the change; $commune null: every
-- commune of $province. A missing topic is '' (the page names it).
with scoped as (
    select
        coalesce(f.topic, '') as topic,
        cast(f.received_at as date) as received_day
    from feedback as f
    inner join communes as c on c.commune_code = f.commune_code
    where c.province_code = $province
        and ($commune is null or f.commune_code = $commune)
        and cast(f.received_at as date) between $before_from and $date_to
),

final as (
    select
        topic,
        count(*) filter (where received_day between $date_from and $date_to) as now,
        count(*) filter (where received_day between $before_from and $before_to) as before
    from scoped
    group by topic
)

select
    *,
    now - before as change
from final
order by change desc, now desc, topic
