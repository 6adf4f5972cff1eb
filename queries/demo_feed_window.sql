-- The first day whose demo dossiers may still change after $since: the earliest day a demo dossier
-- was submitted that is still with the centre, not yet received, or resolved within the last three
-- weeks and not yet returned (the return follows within a few working days, Tết included). A
-- returned, refused, withdrawn or stopped dossier never changes again. Null when none may change.
select min(cast(d.submitted_at as date)) as first_day
from dossiers as d
where d.source_file = $source_file
    and (
        @status_in_progress(d)
        or d.status = 'registered'
        or (d.status = 'finished' and d.finished_at >= cast($since as timestamp) - interval 21 day)
    )
