"""The demo generator: properties of the data it builds (never a snapshot of its output).

Most tests share one three-week build (1-21 July 2025, cut on Monday 21/7 at 10:30); the full build
to November 2026 is one slower test.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import shapely
from pyproj import Geod

from ioc import demo, store
from ioc.workdays import HOLIDAYS

START = datetime(2025, 7, 1)
UNTIL = datetime(2025, 7, 21, 10, 30)  # a Monday morning
PARCELS = 6_000


def _build(path: Path, **kwargs):
    con = store.connect(path)
    # The generator's own rows: the flawed export (tests/test_demo_feed.py) breaks these rules on
    # purpose.
    params = {"until": UNTIL, "start": START, "parcels": PARCELS, "flaws": False} | kwargs
    counts = demo.build(con, **params)
    return con, counts


def _one(con, sql: str, *params):
    return con.execute(sql, list(params)).fetchone()


def _table_hash(con) -> str:
    return _one(con, "select md5(string_agg(d::varchar, '|' order by dossier_id)) from dossiers d")[
        0
    ]


@pytest.fixture(scope="module")
def weeks(tmp_path_factory):
    con, counts = _build(tmp_path_factory.mktemp("demo") / "weeks.duckdb")
    yield con, counts
    con.close()


def test_deterministic_for_seed_and_until(weeks, tmp_path):
    con, _ = weeks
    again, _ = _build(tmp_path / "again.duckdb")
    other, _ = _build(tmp_path / "other.duckdb", seed=7)
    assert _table_hash(again) == _table_hash(con)
    assert _table_hash(other) != _table_hash(con)


def test_history_does_not_depend_on_until(weeks, tmp_path):
    """A dossier returned before the first cut is the same row when the demo runs longer."""
    con, _ = weeks
    later, _ = _build(tmp_path / "later.duckdb", until=datetime(2025, 7, 25, 16, 0))
    sql = (
        "select md5(string_agg(d::varchar, '|' order by dossier_id)) from dossiers d "
        "where status = 'returned' and returned_at <= ? and received_at < ?"
    )
    # A commune whose export runs late (demo.LATE_EXPORTS) shows an earlier moment: by the time
    # every commune has reported, history is settled.
    cut = UNTIL - timedelta(hours=max(demo.LATE_EXPORTS))
    received_before = datetime(2025, 7, 14)
    assert _one(later, sql, cut, received_before) == _one(con, sql, cut, received_before)


def test_volumes_per_working_day_and_weekend(weeks):
    con, counts = weeks
    rows = con.execute(
        "select cast(received_at as date) as day, count(*) from dossiers where status not in ('registered', 'rejected') "
        "group by all order by day"
    ).fetchall()
    per_day = dict(rows)
    # 1-18/7 are whole days: 14 working days (Mon-Fri), 21/7 is cut at 10:30.
    working = [d for d in per_day if d.weekday() < 5 and d < date(2025, 7, 21)]
    weekend = [d for d in per_day if d.weekday() >= 5]
    assert len(working) == 14
    assert all(3_000 <= per_day[d] <= 4_800 for d in working), per_day
    mean_working = sum(per_day[d] for d in working) / len(working)
    assert all(per_day[d] < 0.08 * mean_working for d in weekend)
    assert sum(per_day[d] for d in weekend) > 0
    # "≈66,000 in the first three weeks" (1-21 July).
    assert 58_000 <= sum(per_day.values()) <= 72_000
    assert counts["dossiers"] == _one(con, "select count(*) from dossiers")[0]


def test_online_end_to_end_and_postal_shares_in_july(weeks):
    con, _ = weeks
    online, e2e, postal = _one(
        con,
        "select avg((channel = 'online')::int), "
        "avg((channel = 'online' and service_level = 'full')::int), "
        "avg((channel = 'postal')::int) from dossiers where status not in ('registered', 'rejected')",
    )
    assert 0.50 <= online <= 0.62
    assert 0.12 <= e2e <= 0.19
    assert 0.005 <= postal <= 0.025


def test_communes_differ(weeks):
    con, _ = weeks
    n, low, high = _one(
        con,
        "select count(*), min(rate), max(rate) from (select commune_code, "
        "avg((channel = 'online')::int) as rate from dossiers "
        "where status not in ('registered', 'rejected') group by all)",
    )
    assert n == 126
    assert low < 0.45 and high > 0.75
    sizes = _one(
        con,
        "select min(n), max(n) from (select commune_code, count(*) n from dossiers group by all)",
    )
    assert sizes[1] > 3 * sizes[0]


def test_a_handful_of_procedures_carry_the_volume(weeks):
    con, _ = weeks
    shares = [
        r[0]
        for r in con.execute(
            "select count(*) / sum(count(*)) over () as share from dossiers "
            "group by procedure_code order by share desc"
        ).fetchall()
    ]
    assert sum(shares[:5]) > 0.55
    assert shares[-1] < 0.01


def test_no_event_after_until_and_dates_in_order(weeks):
    con, _ = weeks
    latest = _one(
        con,
        "select greatest(max(submitted_at), max(received_at), max(finished_at), "
        "max(returned_at), max(rejected_at)) from dossiers",
    )[0]
    assert latest <= UNTIL
    assert _one(con, "select max(step_at) from dossier_steps")[0] <= UNTIL
    assert _one(con, "select min(submitted_at) from dossiers")[0] >= START
    bad = _one(
        con,
        "select count(*) filter (where received_at < submitted_at), "
        "count(*) filter (where finished_at <= received_at), "
        "count(*) filter (where returned_at < finished_at), "
        "count(*) filter (where rejected_at < received_at) from dossiers",
    )
    assert bad == (0, 0, 0, 0)
    # Today's desks are busy up to the cut.
    recent = _one(
        con, "select count(*) from dossiers where received_at > ?", datetime(2025, 7, 21, 9, 30)
    )[0]
    assert recent > 100


def test_statuses_match_their_timestamps(weeks):
    con, _ = weeks
    bad = _one(
        con,
        """
        select
            count(*) filter (where status = 'returned'
                and (returned_at is null or finished_at is null)),
            count(*) filter (where status = 'finished'
                and (finished_at is null or returned_at is not null)),
            count(*) filter (where status = 'rejected' and rejected_at is null),
            count(*) filter (where status = 'registered'
                and (received_at is not null or channel <> 'online')),
            count(*) filter (where status in ('accepted', 'processing', 'supplement_requested',
                'payment_requested', 'withdrawn', 'stopped') and finished_at is not null),
            count(*) filter (where status not in ('finished', 'returned')
                and returned_at is not null)
        from dossiers
        """,
    )
    assert bad == (0, 0, 0, 0, 0, 0)
    statuses = dict(con.execute("select status, count(*) from dossiers group by all").fetchall())
    assert set(statuses) == {
        "registered",
        "accepted",
        "rejected",
        "processing",
        "supplement_requested",
        "payment_requested",
        "withdrawn",
        "stopped",
        "finished",
        "returned",
    }
    assert statuses["returned"] > 0.7 * sum(statuses.values())
    overdue = _one(
        con,
        "select count(*) from dossiers where status in ('accepted', 'processing', "
        "'supplement_requested', 'payment_requested') and due_at::date < ?",
        UNTIL.date(),
    )[0]
    assert overdue > 0


def test_late_and_missing_due_shares(weeks):
    con, _ = weeks
    # Dossiers of the first week have had time to finish.
    late, missing = _one(
        con,
        "select avg((finished_at::date > due_at::date)::int) filter "
        "(where status in ('finished', 'returned') and due_at is not null), "
        "avg((due_at is null)::int) filter (where status not in ('registered', 'rejected')) "
        "from dossiers where received_at < ?",
        datetime(2025, 7, 8),
    )
    assert 0.04 <= late <= 0.12
    assert 0.004 <= missing <= 0.02


def test_due_dates_skip_weekends_and_holidays(weeks):
    con, _ = weeks
    due_days = [r[0] for r in con.execute("select distinct due_at::date from dossiers").fetchall()]
    assert all(d is None or (d.weekday() < 5 and d not in HOLIDAYS) for d in due_days)
    assert {
        r[0]
        for r in con.execute("select distinct strftime(due_at, '%H:%M') from dossiers").fetchall()
    } <= {
        "17:00",
        None,
    }
    # Worked by hand: Friday 18/7 + 7 working days (21-25, 28, 29) = Tuesday 29/7;
    # a same-day procedure received on Saturday 5/7 is due on Monday 7/7.
    seven = con.execute(
        "select distinct due_at from dossiers where procedure_code = '1.004222' "
        "and received_at::date = date '2025-07-18' and due_at is not null"
    ).fetchall()
    assert seven == [(datetime(2025, 7, 29, 17, 0),)]
    same_day = con.execute(
        "select distinct due_at from dossiers where procedure_code = '1.001193' "
        "and received_at::date = date '2025-07-05' and due_at is not null"
    ).fetchall()
    assert same_day in ([], [(datetime(2025, 7, 7, 17, 0),)])


def test_fees_digitisation_and_identity(weeks):
    con, _ = weeks
    row = _one(
        con,
        """
        select
            count(*) filter (where not has_fee and paid_online is not null),
            avg(paid_online::int) filter (where has_fee and channel = 'online'),
            avg(paid_online::int) filter (where has_fee and channel <> 'online'),
            avg(digitized::int),
            avg(vneid_verified::int) filter (where channel = 'online'),
            count(*) filter (where not regexp_full_match(applicant_masked, '\\S+ \\S\\. \\S\\.')),
            count(*) filter (where not regexp_full_match(applicant_key, '[0-9a-f]{16}')),
            count(distinct applicant_key) < count(*),
            count(*) filter (where not regexp_full_match(dossier_id,
                'H01\\.\\d{5}-\\d{6}-\\d{6}')),
            count(distinct dossier_id) = count(*),
            count(*) filter (where source_file <> 'demo')
        from dossiers
        """,
    )
    assert row[0] == 0
    assert row[1] > row[2] + 0.2
    assert 0.35 <= row[3] <= 0.5
    assert row[4] > 0.7
    assert row[5:] == (0, 0, True, 0, True, 0)


def test_land_dossiers_point_to_parcels_of_their_commune(weeks):
    con, _ = weeks
    land_share = _one(
        con,
        "select avg(p.is_land::int) from dossiers d join procedures p using (procedure_code) "
        "where status not in ('registered', 'rejected')",
    )[0]
    assert 0.05 <= land_share <= 0.10
    unlinked = _one(
        con,
        """
        select
            count(*) filter (where p.is_land and d.parcel_no is null),
            count(*) filter (where not p.is_land and d.parcel_no is not null),
            count(*) filter (where p.is_land and not exists (
                select 1 from parcels as x
                where x.commune_code = d.commune_code
                    and x.map_sheet = d.map_sheet
                    and x.parcel_no = d.parcel_no))
        from dossiers as d
        join procedures as p using (procedure_code)
        """,
    )
    assert unlinked == (0, 0, 0)


def test_parcels_are_polygons_in_their_commune(weeks):
    con, counts = weeks
    assert counts["parcels"] == PARCELS == _one(con, "select count(*) from parcels")[0]
    assert _one(
        con,
        "select count(*) from parcels where parcel_id <> commune_code || '-' || map_sheet || '-' "
        "|| parcel_no or address not like '%, Hà Nội' or address like '%Quận%'",
    ) == (0,)
    rows = con.execute(
        "select p.area_m2, p.lon, p.lat, p.geometry, c.geometry, c.commune_type, p.land_use_code "
        "from parcels p join communes c using (commune_code) using sample 400 rows (reservoir, 1)"
    ).fetchall()
    geod = Geod(ellps="WGS84")
    inside = 0
    for area, lon, lat, parcel, cell, kind, use in rows:
        polygon = shapely.from_geojson(parcel)
        assert polygon.geom_type == "Polygon" and polygon.is_valid
        geodesic = abs(geod.geometry_area_perimeter(polygon)[0])
        assert area == pytest.approx(geodesic, rel=0.02)
        assert 20 < area < 5_000
        assert polygon.contains(shapely.Point(lon, lat))
        inside += shapely.from_geojson(cell).contains(polygon)
        allowed = (
            {"ODT", "TMD", "DGT", "DGD", "DYT", "TSC", "SKC", "DTL", "CLN"}
            if kind == "phường"
            else {"ONT", "LUC", "LUK", "CLN", "HNK", "NTS", "DTL", "DGT", "DGD", "DYT", "TSC",
                  "SKC", "TMD", "NTD"}
        )  # fmt: skip
        assert use in allowed
    assert inside >= 0.95 * len(rows)
    urban, rural = _one(
        con,
        "select avg((land_use_code = 'ODT')::int) filter (where c.commune_type = 'phường'), "
        "avg((land_use_code in ('ONT', 'LUC', 'LUK', 'CLN', 'HNK', 'NTS'))::int) "
        "filter (where c.commune_type = 'xã') from parcels join communes c using (commune_code)",
    )
    assert urban > 0.6 and rural > 0.7
    overlaps = con.execute(
        "select geometry from parcels where commune_code = (select min(commune_code) from parcels)"
    ).fetchall()
    polygons = [shapely.from_geojson(g) for (g,) in overlaps]
    union = shapely.union_all(polygons)
    assert union.area == pytest.approx(sum(p.area for p in polygons), rel=1e-6)


def test_meta_marks_the_demo(weeks, tmp_path):
    con, _ = weeks
    assert store.get_meta(con, "demo") == "1"
    assert store.get_meta(con, "demo_seed") == "2025"
    assert store.get_meta(con, "demo_until") == UNTIL.isoformat()
    version = int(store.get_meta(con, "data_version"))
    again, _ = _build(tmp_path / "twice.duckdb", start=datetime(2025, 7, 14), parcels=100)
    first = int(store.get_meta(again, "data_version"))
    demo.build(again, until=UNTIL, start=datetime(2025, 7, 14), parcels=100, flaws=False)
    assert int(store.get_meta(again, "data_version")) == first + 1 and version >= 1


def test_refuses_a_store_with_real_data(tmp_path):
    con = store.connect(tmp_path / "real.duckdb")
    store.set_meta(con, "real_data", "1")
    with pytest.raises(RuntimeError):
        demo.build(con, until=UNTIL, start=datetime(2025, 7, 14))


def test_scaled_volume(tmp_path):
    con, counts = _build(tmp_path / "scaled.duckdb", dossiers=5_000, parcels=0)
    assert 4_500 <= counts["dossiers"] <= 5_500
    assert _one(con, "select count(*) from parcels") == (0,)
    assert _one(con, "select count(*) from dossiers where parcel_no is not null") == (0,)


@pytest.mark.slow
def test_full_build(tmp_path):
    """The app's first-run store: July 2025 to late November 2026 with the default parcels."""
    until = datetime(2026, 11, 25, 10, 0)
    con = store.connect(tmp_path / "full.duckdb")
    counts = demo.build(con, until=until)
    assert counts["parcels"] >= 150_000
    assert 1_200_000 <= counts["dossiers"] <= 1_700_000
    online, e2e = _one(
        con,
        "select avg((channel = 'online')::int), "
        "avg((channel = 'online' and service_level = 'full')::int) "
        "from dossiers where received_at >= '2026-11-01' and status not in ('registered', 'rejected')",
    )
    assert 0.80 <= online <= 0.90
    assert 0.35 <= e2e <= 0.45
    above, below, improved, slipped = _one(
        con,
        """
        with first as (
            select commune_code, avg((channel = 'online')::int) as rate
            from dossiers where received_at < '2025-09-01' and status not in ('registered', 'rejected') group by all
        ),
        last as (
            select commune_code, avg((channel = 'online')::int) as rate
            from dossiers where received_at >= '2026-10-01' and status not in ('registered', 'rejected') group by all
        )
        select
            count(*) filter (where last.rate >= 0.9),
            count(*) filter (where last.rate < 0.7),
            count(*) filter (where last.rate - first.rate > 0.4),
            count(*) filter (where last.rate < first.rate)
        from first join last using (commune_code)
        """,
    )
    assert above >= 5 and below >= 3 and improved >= 2 and slipped >= 2
    assert _one(con, "select max(received_at) from dossiers")[0] <= until
    first_weeks = _one(
        con,
        "select count(*) from dossiers where received_at < '2025-07-22' and status not in ('registered', 'rejected')",
    )[0]
    assert 58_000 <= first_weeks <= 72_000
    geometry = _one(con, "select geometry from parcels limit 1")[0]
    assert json.loads(geometry)["type"] == "Polygon"


def test_national_scale_spreads_the_requested_volume(tmp_path):
    con = store.connect(tmp_path / "national.duckdb")
    counts = demo.build(
        con,
        until=datetime(2026, 11, 20, 12, 0),
        start=datetime(2026, 11, 2),
        scale="national",
        dossiers=20_000,
        parcels=0,
    )
    assert counts["communes"] == 3_321
    assert 18_000 <= counts["dossiers"] <= 22_000
    provinces, communes = _one(
        con,
        "select count(distinct c.province_code), count(distinct d.commune_code) "
        "from dossiers d join communes c using (commune_code)",
    )
    assert provinces == 34 and communes > 2_500
    assert store.get_meta(con, "demo_scale") == "national"


# --- the citizen's voice (issue 18) ----------------------------------------------------------------


def test_ratings_and_feedback_are_consistent(weeks):
    con, counts = weeks
    assert counts["ratings"] > 0 and counts["feedback"] > 0
    # every rating follows its dossier's result, within four days, by UNTIL, in daytime
    late, early, after, night = _one(
        con,
        "select count(*) filter (where r.rated_at > d.finished_at + interval 5 day), "
        "count(*) filter (where r.rated_at <= d.finished_at), count(*) filter (where r.rated_at > ?), "
        "count(*) filter (where hour(r.rated_at) not between 7 and 22 and "
        "cast(r.rated_at as date) > cast(d.finished_at as date)) "
        "from dossier_ratings r join dossiers d using (dossier_id)",
        UNTIL,
    )
    assert (late, early, after, night) == (0, 0, 0, 0)
    # a not-satisfied overall rating comes with the criterion that failed
    overall, criteria = _one(
        con,
        "select count(*) filter (where criterion is null and level = 'not_satisfied'), "
        "count(*) filter (where criterion is not null) from dossier_ratings",
    )
    assert overall == criteria > 0
    # the rating habit differs by commune, around a third of the resolved dossiers
    low, high = _one(
        con,
        "select min(share), max(share) from (select d.commune_code, "
        "avg((r.dossier_id is not null)::int) as share from dossiers d left join "
        "(select distinct dossier_id from dossier_ratings) r using (dossier_id) "
        "where d.status in ('finished', 'returned') group by all)",
    )
    assert 0.1 < low < 0.3 and 0.35 < high < 0.6
    # feedback: received by UNTIL, answered after receipt, an open item has no outcome
    bad = _one(
        con,
        "select count(*) from feedback where received_at > ? or answered_at < received_at "
        "or (answered_at is null) <> (outcome is null)",
        UNTIL,
    )
    assert bad == (0,)


def test_satisfaction_improves_and_topics_move(tmp_path):
    # a thin demo over the whole trend (the volume spread thin): enough ratings per quarter
    con, _ = _build(
        tmp_path / "voice.duckdb", until=datetime(2026, 11, 30, 18), dossiers=60_000, parcels=0
    )
    first, last = (
        _one(
            con,
            "select avg((level <> 'not_satisfied')::int) from dossier_ratings "
            "where criterion is null and rated_at between ? and ?",
            *span,
        )[0]
        for span in (
            (datetime(2025, 7, 1), datetime(2025, 9, 30)),
            (datetime(2026, 9, 1), datetime(2026, 11, 30)),
        )
    )
    assert first < last - 0.02
    # online payment and VNeID topics grow; staff attitude shrinks
    shares = dict(
        con.execute(
            "select topic, avg((received_at >= date '2026-06-01')::int) from feedback group by 1"
        ).fetchall()
    )
    assert shares["Tài khoản định danh VNeID, đăng nhập"] > shares["Thái độ, tác phong cán bộ"]
