-- Feedback items (phản ánh, kiến nghị) of the province (or of $commune) first received in the
-- period, for the national index's 5.2 and 5.3 (ioc/index766.py). Read only: the table is filled by
-- the citizen's voice import (issue 18).
with final as (
    select
        f.feedback_id,
        f.commune_code,
        f.received_at,
        coalesce(f.transferred_at, f.received_at) as counted_from,
        f.answered_at,
        f.outcome,
        coalesce(f.rated_unsatisfied, false) as rated_unsatisfied,
        coalesce(f.complaint_after, false) as complaint_after
    from feedback as f
    inner join communes as c on c.commune_code = f.commune_code
    where c.province_code = $province
        and ($commune is null or f.commune_code = $commune)
        and cast(f.received_at as date) between $date_from and $date_to
)

select * from final
