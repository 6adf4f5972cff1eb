-- Store schema (see ../shared/spec/data-contract.md). Idempotent: every statement is IF NOT EXISTS.
-- Timestamps are Vietnam local time (Asia/Ho_Chi_Minh) stored without offset.

create table if not exists communes (
    commune_code varchar primary key,
    commune_name varchar not null,
    commune_type varchar,
    province_code varchar not null,
    province_name varchar,
    lat double,
    lon double,
    area_km2 double,
    geometry varchar,           -- GeoJSON geometry text (WGS84 lon/lat)
    geometry_source varchar     -- 'file' | 'approximate' | null
);

create table if not exists old_units (
    old_province varchar,
    old_district varchar,
    old_ward varchar,
    old_ward_code varchar,
    commune_code varchar,       -- new commune the old ward (or part of it) went into
    is_split boolean            -- the old ward was split across several new communes
);

create table if not exists procedures (
    procedure_code varchar primary key,
    procedure_name varchar not null,
    field_name varchar,
    service_level varchar,      -- 'full' | 'partial' | 'info'
    statutory_days double,
    has_fee boolean,
    fee_note varchar,
    is_land boolean,
    code_status varchar         -- 'verified' | 'uncertain' | 'unknown' (seen in an export, not in the catalogue)
);

-- No primary key: the import keeps dossier_id unique itself (one row per id within a file, and
-- ids the store holds are updated, never inserted; see ioc/ingest/load.py), and the key's index
-- doubled the time of a bulk insert. Stores created earlier keep their key (harmless).
create table if not exists dossiers (
    dossier_id varchar,
    procedure_code varchar,
    commune_code varchar,
    channel varchar,            -- 'direct' | 'online' | 'postal'
    service_level varchar,      -- 'full' | 'partial' | 'info'
    submitted_at timestamp,
    received_at timestamp,
    due_at timestamp,
    finished_at timestamp,
    returned_at timestamp,
    rejected_at timestamp,
    status varchar,             -- registered|accepted|rejected|processing|supplement_requested|payment_requested|withdrawn|stopped|finished|returned
    paid_online boolean,
    has_fee boolean,
    digitized boolean,
    vneid_verified boolean,
    applicant_masked varchar,
    applicant_key varchar,
    map_sheet varchar,
    parcel_no varchar,
    source_file varchar,
    ingest_run_id varchar
);

create table if not exists dossier_steps (
    dossier_id varchar,
    step_at timestamp,
    unit varchar,
    action varchar,
    status_after varchar,
    step_due_at timestamp
);

create table if not exists parcels (
    parcel_id varchar primary key,  -- commune_code || '-' || map_sheet || '-' || parcel_no
    commune_code varchar not null,
    map_sheet varchar not null,
    parcel_no varchar not null,
    area_m2 double,
    land_use_code varchar,
    address varchar,
    lon double,                     -- centroid, for fast bounding and fly-to
    lat double,
    geometry varchar                -- GeoJSON polygon text (WGS84 lon/lat)
);

create table if not exists targets (
    metric varchar not null,
    scope varchar not null,         -- 'city' or a commune_code
    target double not null,
    effective_from date not null,
    effective_to date,              -- null = open-ended
    note varchar,
    created_at timestamp default current_timestamp
);

create table if not exists ingest_runs (
    run_id varchar primary key,
    source_file varchar,
    sha256 varchar,
    started_at timestamp,
    finished_at timestamp,
    rows_read bigint,
    rows_inserted bigint,
    rows_updated bigint,
    rows_quarantined bigint,
    status varchar,                 -- 'ok' | 'duplicate_file' | 'failed'
    message varchar
);

create table if not exists quarantine (
    run_id varchar,
    source_file varchar,
    row_number bigint,
    raw_values varchar,             -- JSON of the raw row (personal data masked)
    reason_code varchar,
    reason_vi varchar,
    reason_en varchar
);

create table if not exists meta (
    key varchar primary key,
    value varchar
);

-- Sign-in accounts (issue 6). Only bcrypt hashes are stored, never a password.
create table if not exists users (
    username varchar primary key,
    role varchar not null,          -- 'city_leader' | 'ward_chair' | 'presenter' | 'admin'
    commune_code varchar,           -- the ward chair's own commune
    password_hash varchar not null, -- bcrypt
    is_demo boolean not null default false, -- usable only while demo mode is on
    failed_attempts integer not null default 0,
    locked_until timestamp,
    created_at timestamp,
    last_sign_in_at timestamp
);

-- Who did what, when, about which commune (issue 6). Append-only.
create table if not exists audit_log (
    logged_at timestamp not null,
    username varchar,
    action varchar not null,        -- see ioc/audit.py ACTIONS
    commune_code varchar,
    detail varchar
);

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
    received_digitized integer
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
    resolved integer
);

-- Mappings an administrator teaches (issue 14; ioc/ingest/mappings.py): a raw value (folded, see
-- ioc/ingest/aliases.fold) of one kind read as a canonical value, or marked truly invalid.
-- kind: status | channel | level | flag | commune | procedure | header. source_key is '' except
-- for headers, which are mapped per source system: the fingerprint of the file's header row
-- (mappings.source_key). For a header, canonical is a store column (received_at ...).
create table if not exists value_mappings (
    kind varchar not null,
    source_key varchar not null,
    folded_value varchar not null,
    raw_example varchar,
    canonical varchar,              -- null when is_invalid
    is_invalid boolean not null default false,
    created_by varchar,
    created_at timestamp,
    primary key (kind, source_key, folded_value)
);

-- Every change of a mapping, old and new (append-only; the audit log has a line for each too).
create table if not exists value_mapping_history (
    changed_at timestamp not null,
    changed_by varchar,
    kind varchar not null,
    source_key varchar not null,
    folded_value varchar not null,
    raw_example varchar,
    old_canonical varchar,          -- '(invalid)' / null (none before)
    new_canonical varchar
);

-- What re-processing a quarantined row needs (issue 14), on stores of earlier releases too.
alter table quarantine add column if not exists status varchar;           -- null/'open' | 'resolved' | 'deleted'
alter table quarantine add column if not exists source_key varchar;       -- header fingerprint of the file
alter table quarantine add column if not exists problem_kind varchar;     -- a mapping kind, or null (a real defect)
alter table quarantine add column if not exists problem_value varchar;    -- the raw value to map
alter table quarantine add column if not exists applicant_masked varchar;
alter table quarantine add column if not exists applicant_key varchar;    -- salted hash, as dossiers
alter table quarantine add column if not exists settled_commune varchar;  -- commune picked for this row
alter table quarantine add column if not exists closed_by varchar;
alter table quarantine add column if not exists closed_at timestamp;
alter table quarantine add column if not exists closed_run_id varchar;    -- the run that landed it
