-- The demo's own roster (issue 19), before demo.build writes it again.
delete from staff_roster where source_file = $source_file
