-- The demo's own ratings and feedback, before a build draws them again (demo.build refuses a
-- store holding imports, so every row is the demo's).
delete from dossier_ratings;
delete from feedback;
