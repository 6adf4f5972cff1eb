-- The demo's processing log is rewritten at each step of the live feed (demo_insert_steps makes it
-- for the dossiers open at that moment), so the old one goes first.
delete from dossier_steps
where dossier_id in (select dossier_id from dossiers where source_file = $source_file)
