-- The demo replaces every dossier, processing step and parcel of the store (never run on a store
-- holding imported data: demo.build refuses it first).
delete from dossier_steps;
delete from dossiers;
delete from parcels;
