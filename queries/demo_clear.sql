-- The demo replaces every dossier, processing step and parcel of the store, and the runs and
-- quarantined rows of its own feed and flawed export (named demo*). Never run on a store holding
-- imported data: demo.build refuses it first.
delete from dossier_steps;
delete from dossiers;
delete from parcels;
delete from quarantine where source_file like 'demo%';
delete from ingest_runs where source_file like 'demo%';
