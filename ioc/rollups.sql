-- Derived tables (ioc/rollups.py): rebuilt from the base tables, never migrated. When this file or
-- a queries/rollup_*.sql file changes, a store opened by the new code drops and rebuilds them
-- (ioc/migrations.py compares a fingerprint of these definitions).

-- Rollups (ioc/rollups.py): the counts of kpi.md per commune, procedure and day, so pages sum a few
-- thousand rows instead of scanning every dossier. Rebuilt for the communes an import touches, in
-- its transaction; rebuilt whole when the store changed without them (ioc.rollups.ensure).
-- Received counts, by day(received_at).
create table if not exists rollup_received (
    province_code varchar,
    commune_code varchar,
    procedure_code varchar,
    day date,
    received integer,
    received_online integer,
    received_end_to_end integer,
    received_full_level integer,
    received_with_fee integer,
    received_paid_online integer,
    received_digitized integer,
    received_postal integer
);

-- Resolved counts, by day(finished_at).
create table if not exists rollup_resolved (
    province_code varchar,
    commune_code varchar,
    procedure_code varchar,
    day date,
    resolved integer,
    resolved_on_time integer,
    resolved_early integer,
    resolved_late integer,
    no_due_date integer
);

-- Changes of open_at_end / open_overdue / open_due_soon taking effect on a day: the figure at the
-- end of day D is the sum of the changes on days <= D (see queries/rollup_open_refresh.sql).
create table if not exists rollup_open (
    province_code varchar,
    commune_code varchar,
    procedure_code varchar,
    day date,
    open_change integer,
    overdue_change integer,
    due_soon_change integer
);

-- rollup_open summed over procedures (the ranking and the city cards read this one).
create table if not exists rollup_open_commune (
    province_code varchar,
    commune_code varchar,
    day date,
    open_change integer,
    overdue_change integer,
    due_soon_change integer
);

-- Dossiers not finished yet (finished_at null): the few rows the open-dossier lists read instead
-- of every dossier. A dossier finished after some past as_of comes from dossiers (zone maps on
-- finished_at find those quickly); see queries/open_dossiers.sql.
create table if not exists rollup_unfinished (
    province_code varchar,
    commune_code varchar,
    dossier_id varchar,
    procedure_code varchar,
    channel varchar,
    status varchar,
    received_at timestamp,
    due_at timestamp,
    applicant_masked varchar
);

-- The last working day strictly before each day (for open_due_soon's changes).
create table if not exists workday_calendar (
    day date primary key,
    previous_working_day date
);

-- Received and resolved dossiers per commune, day and clock hour (kpi.md real-time rate).
create table if not exists rollup_hourly (
    province_code varchar,
    commune_code varchar,
    day date,
    hour integer,
    received integer,
    resolved integer,
    last_event_at timestamp
);
