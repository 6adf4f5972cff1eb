-- Actions as shown: the state of $today ('done', 'late' = open past its deadline, 'open'), the
-- commune's name, the owner (the text given, else the commune's ward chairs' accounts) and the
-- meeting. Each filter is skipped when null:
--   $action: one action; $commune: the actions of one commune (never the city-wide ones);
--   $meeting: the actions of a meeting, and with $open_until also the actions still open of
--   meetings held up to that day (what carries over into the next deck).
-- $demo: whether demo accounts count as owners (they sign in only while demo mode is on).
with chairs as (
    select
        commune_code,
        string_agg(username, ', ' order by username) as chairs
    from users
    where role = 'ward_chair'
        and (not is_demo or $demo)
    group by commune_code
),

picked as (
    select
        a.*,
        m.held_on,
        m.title as meeting_title
    from meeting_actions as a
    inner join meetings as m on m.meeting_id = a.meeting_id
    where ($action is null or a.action_id = $action)
        and ($commune is null or a.commune_code = $commune)
        and (
            $meeting is null
            or a.meeting_id = $meeting
            or (a.state = 'open' and m.held_on <= cast($open_until as date))
        )
),

final as (
    select
        p.action_id,
        p.meeting_id,
        p.held_on,
        p.meeting_title,
        p.commune_code,
        c.commune_name,
        p.what,
        p.owner,
        coalesce(p.owner, ch.chairs) as owner_shown,
        p.deadline,
        case
            when p.state = 'done' then 'done'
            when p.deadline < cast($today as date) then 'late'
            else 'open'
        end as status,
        case
            when p.state <> 'done' and p.deadline < cast($today as date)
                then date_diff('day', p.deadline, cast($today as date))
        end as days_late,
        p.state,
        p.done_at,
        p.done_by,
        p.created_by,
        p.created_at
    from picked as p
    left join communes as c on c.commune_code = p.commune_code
    left join chairs as ch on ch.commune_code = p.commune_code
)

select * from final
order by
    case status when 'late' then 0 when 'open' then 1 else 2 end,
    deadline,
    action_id
