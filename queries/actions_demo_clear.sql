-- The demo's meeting and its actions, before the demo seeds them again: the ones created by the
-- demo feed's user ('demo-feed', ioc.demo.FEED_USER = ioc.actions.DEMO_USER).
delete from meeting_action_history
where action_id in (
    select a.action_id
    from meeting_actions as a
    inner join meetings as m on m.meeting_id = a.meeting_id
    where m.created_by = 'demo-feed'
);
delete from meeting_actions
where meeting_id in (select meeting_id from meetings where created_by = 'demo-feed');
delete from meetings
where created_by = 'demo-feed';
