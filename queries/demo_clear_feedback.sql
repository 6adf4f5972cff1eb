-- The demo's feedback, before it is drawn again up to the demo's new moment.
delete from feedback where source_file = $source_file
