-- Store schema (see ../shared/spec/data-contract.md): the base tables, as a new store gets them.
-- Idempotent: every statement is IF NOT EXISTS. A change to a table that stores already hold also
-- needs a step in ioc/migrations/ (see ioc/migrations.py); derived tables are in ioc/rollups.sql.
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
    statutory_days double,      -- the maximum handling time in working days (index 766, 2.1)
    has_fee boolean,
    fee_note varchar,
    is_land boolean,
    code_status varchar,        -- 'verified' | 'uncertain' | 'unknown' (seen in an export, not in the catalogue)
    paper_result boolean,       -- the result is a paper document (index 766, 3.3); null: unknown
    published boolean           -- published in the national procedures database (index 766, 1.2)
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
    ingest_run_id varchar,
    e_result_issued boolean,    -- an electronic result was issued (index 766, 3.3 and 4.1)
    synced_to_portal boolean    -- synchronised to the national portal (index 766, 1.4)
);

create table if not exists dossier_steps (
    dossier_id varchar,
    step_at timestamp,
    unit varchar,
    action varchar,
    status_after varchar,
    step_due_at timestamp,
    officer_id varchar              -- who handled the step (roster officer id; issue 19)
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
    reason_en varchar,
    -- what re-processing the row needs (issue 14; ioc/ingest/quarantine.py)
    status varchar, -- null/'open' | 'resolved' | 'deleted'
    source_key varchar, -- header fingerprint of the file
    problem_kind varchar, -- a mapping kind, or null (a real defect)
    problem_value varchar, -- the raw value to map
    applicant_masked varchar,
    applicant_key varchar, -- salted hash, as dossiers
    settled_commune varchar, -- commune picked for this row
    closed_by varchar,
    closed_at timestamp,
    closed_run_id varchar -- the run that landed it
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

-- --- sessions and wall screens (issue 16) ---

-- Sign-ins that survive a reload (ioc/sessions.py): the browser keeps an HttpOnly cookie holding a
-- random token signed with the store's secret (meta 'session_secret'); only the token's SHA-256 is
-- kept here. A session ends on sign-out, after IOC_SESSION_MINUTES without activity (last_seen_at,
-- shared by the browser's tabs), at expires_at, or when its account is locked or removed.
create table if not exists user_sessions (
    token_hash varchar primary key,
    username varchar not null,
    source varchar,                 -- client address at sign-in
    created_at timestamp not null,
    last_seen_at timestamp not null,
    expires_at timestamp not null,
    revoked_at timestamp,
    revoked_reason varchar          -- sign_out | timeout | expired | locked | removed
);

-- Wall screens: a token an administrator issues for an unattended display. It opens the
-- presentation (presenter scope: aggregates only) with this deck and nothing else, until it
-- expires or is revoked. The token is shown once; only its SHA-256 is kept.
create table if not exists wall_screens (
    token_hash varchar primary key,
    wall_id varchar not null,       -- short public id (admin page, audit log)
    label varchar not null,
    slides varchar not null,        -- the presentation's slides= value
    theme varchar not null,
    auto_seconds integer not null,
    period varchar not null,
    created_by varchar,
    created_at timestamp not null,
    expires_at timestamp not null,
    last_used_at timestamp,
    revoked_at timestamp,
    revoked_by varchar
);

-- --- meeting actions (issue 16) ---
-- A review meeting (the deck it was held on) and what it asked of whom (ioc/actions.py). An
-- action's state is 'open' or 'done'; "late" is derived (open past its deadline, Vietnam dates).
-- owner null: the commune's ward chair (the accounts of the commune, read when shown).
create table if not exists meetings (
    meeting_id integer primary key,
    held_on date not null,
    title varchar not null,         -- the deck's title ("Báo cáo tuần 06/10/2025 – 12/10/2025")
    period_from date,
    period_to date,
    created_by varchar,
    created_at timestamp
);

create table if not exists meeting_actions (
    action_id integer primary key,
    meeting_id integer not null,
    commune_code varchar,           -- null: the whole city
    what varchar not null,
    owner varchar,                  -- null: the commune's ward chair
    deadline date not null,
    state varchar not null,         -- 'open' | 'done'
    done_at timestamp,
    done_by varchar,
    created_by varchar,
    created_at timestamp,
    updated_by varchar,
    updated_at timestamp
);

-- Every change of an action, old and new (append-only; the audit log has a line for each too).
create table if not exists meeting_action_history (
    changed_at timestamp not null,
    changed_by varchar,
    action_id integer not null,
    field varchar not null,         -- 'created' | 'what' | 'owner' | 'deadline' | 'commune' | 'state'
    old_value varchar,
    new_value varchar
);

-- --- staffing roster (issue 19) ---
-- Who works at which commune's desk, when, for what share of the time (ioc/ingest/roster.py reads
-- a roster export into it; a row is keyed by officer, commune, desk and first day: a re-import
-- replaces it with itself). docs/capacity.md defines the figures built on it.
create table if not exists staff_roster (
    officer_id varchar not null,    -- the one-stop system's officer id, or the masked name
    officer_masked varchar,         -- 'Nguyễn V. A.' (never a full name)
    commune_code varchar not null,
    desk varchar not null,          -- 'Bộ phận Một cửa' or a department
    from_date date not null,
    to_date date,                   -- null: still there
    time_share double not null,     -- share of the working time spent at the desk, 0..1
    seconded_from varchar,          -- the city department lending the officer, else null
    source_file varchar,
    ingest_run_id varchar
);

-- Officers a city leader seconded to a commune (ioc/capacity.py record_secondment; audited).
-- Their officer-days count in the commune's capacity from from_date to to_date.
create table if not exists secondments (
    secondment_id varchar primary key,
    commune_code varchar not null,
    officers integer not null,
    from_date date not null,
    to_date date not null,
    time_share double not null,
    note varchar,
    created_by varchar,
    created_at timestamp
);

-- --- the citizen's voice (issue 18) ---
-- Ratings citizens give a dossier's handling (the national portal's evaluation, the one-stop
-- systems' rating exports): one row per dossier and criterion; criterion null is the overall
-- rating. A re-import of the same rating (same rating_id) replaces it with itself.
create table if not exists dossier_ratings (
    rating_id varchar not null,     -- the source's id, else dossier_id|criterion|rated_at
    dossier_id varchar not null,
    commune_code varchar,           -- the dossier's commune (the rating file's, else the dossier's)
    procedure_code varchar,
    rated_at timestamp not null,
    criterion varchar,              -- null: the overall rating
    level varchar not null,         -- 'very_satisfied' | 'satisfied' | 'not_satisfied'
    comment_masked varchar,         -- personal text masked like applicant names
    source_file varchar,
    ingest_run_id varchar
);

-- Feedback and recommendations (phản ánh, kiến nghị) about administrative procedures.
create table if not exists feedback (
    feedback_id varchar not null,
    commune_code varchar,
    procedure_code varchar,         -- null: not about one procedure
    channel varchar,                -- as the export words it, mapped to a vocabulary
    topic varchar,
    received_at timestamp not null,
    transferred_at timestamp,       -- the latest transfer to the unit (index 5.2 counts from it)
    due_at timestamp,               -- the due date for the answer
    answered_at timestamp,
    outcome varchar,                -- 'answered' | 'rejected' | 'info_requested' | null (open)
    rated_unsatisfied boolean,      -- more dislikes than likes of the answer (index 5.3)
    complaint_after boolean,        -- a complaint about the answer followed (index 5.3)
    content_masked varchar,
    source_file varchar,
    ingest_run_id varchar
);

-- --- simplified commune cells (issue 16: the deck without the spatial extension) ---
-- A commune's cell simplified for a map zoom (queries/land_cells_refresh.sql), kept with the md5 of
-- the geometry it was made from: the land map and the deck read it as text, and only a changed or
-- new cell loads the spatial extension to be simplified again.
create table if not exists simplified_cells (
    commune_code varchar not null,
    zoom double not null,
    source_md5 varchar not null,
    geometry varchar,
    primary key (commune_code, zoom)
);
