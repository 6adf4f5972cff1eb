-- issue 18, the national index (Decision 766; docs/index-766.md): what the index needs beyond the
-- dashboard's own KPIs. The dossier's electronic result and its synchronisation to the national
-- portal (indicators 3.3, 1.4, 4.1); the procedure's result being a paper document (3.3) and its
-- publication in the national procedures database (1.2). The procedure's maximum handling time is
-- procedures.statutory_days, already held.
alter table if exists dossiers add column if not exists e_result_issued boolean;
alter table if exists dossiers add column if not exists synced_to_portal boolean;
alter table if exists procedures add column if not exists paper_result boolean;
alter table if exists procedures add column if not exists published boolean;
