"""Data-quality figures on the hand-made store plus a commune (Xã Ba, 90003) with known defects.

Every expected value is worked out by hand next to the rows below. Period: the fixture week
06/10/2025 - 12/10/2025, as_of = end of 12/10 (the clock is 13/10 10:00).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fixtures import C1, C2, C3, P1, P2, PERIOD_FROM, PERIOD_TO, ts
from streamlit.testing.v1 import AppTest

from ioc import quality, rollups
from ioc.ingest.load import bump_version
from ioc.kpi import Period
from ioc.scope import ADMIN, CITY_LEADER, WARD_CHAIR, Scope, ScopeError

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
NOW = datetime(2025, 10, 13, 10, 0)
SRC = "xa_ba.xlsx"

# id, procedure, channel, level, status, received, due, finished, applicant, submitted
DEFECTS = [
    # clean, on time
    ("f01", P1, "online", "full", "returned", ts(6, 9), ts(6, 17), ts(6, 10), "k1", None),
    # no due date (missing field; resolved without due: counted on time)
    ("f02", P2, "direct", "partial", "finished", ts(7, 9), None, ts(8, 9), "k2", None),
    # returned without a finish date (date conflict); no channel (missing field)
    ("f03", P2, None, "partial", "returned", ts(7, 9), ts(9, 17), None, "k3", None),
    # still processing but has a finish date (date conflict)
    ("f04", P1, "online", "full", "processing", ts(8, 9), ts(8, 17), ts(8, 12), "k4", None),
    # procedure code not in the catalogue; no service level (missing field)
    ("f05", "9.999999", "online", None, "accepted", ts(9, 9), ts(10, 17), None, "k5", None),
    # f07 repeats f06: same applicant, procedure, commune and day (suspected duplicate)
    ("f06", P1, "online", "full", "returned", ts(9, 9), ts(9, 17), ts(9, 11), "k6", None),
    ("f07", P1, "online", "full", "returned", ts(9, 10), ts(9, 17), ts(9, 12), "k6", None),
    # registered, not received: in the period by its submission; no due date required
    ("f08", P1, "online", "full", "registered", None, None, None, "k8", ts(10, 8)),
    # due before received (date conflict); resolved late
    ("f09", P2, "direct", "partial", "finished", ts(10, 9), ts(8, 17), ts(10, 15), "k9", None),
    # outside the period; a procedure the catalogue marks unknown
    ("f10", "1.999999", "online", "full", "returned", ts(1, 9), ts(1, 17), ts(1, 11), "k10", None),
]


@pytest.fixture
def defects_con(fixture_con):
    con = fixture_con
    con.execute(
        "insert into procedures (procedure_code, procedure_name, code_status) "
        "values ('1.999999', 'Thủ tục lạ', 'unknown')"
    )
    con.executemany(
        "insert into dossiers (dossier_id, commune_code, procedure_code, channel, service_level, "
        "status, received_at, due_at, finished_at, applicant_key, submitted_at, source_file) "
        "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(d[0], C3, *d[1:9], d[9] or d[5], SRC) for d in DEFECTS],
    )
    con.executemany(
        "insert into ingest_runs (run_id, source_file, finished_at, rows_read, rows_inserted, "
        "rows_updated, rows_quarantined, status) values (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            ("r1", SRC, ts(10, 16), 12, 9, 0, 2, "ok"),
            ("r2", SRC, ts(11, 9), 10, 1, 3, 0, "ok"),
            ("r3", "broken.csv", ts(11, 10), 0, 0, 0, 0, "failed"),
        ],
    )
    con.executemany(
        "insert into quarantine (run_id, source_file, row_number, reason_code, reason_vi, "
        "reason_en) values (?, ?, ?, ?, ?, ?)",
        [
            ("r1", SRC, 4, "unknown_commune", "Không rõ xã/phường", "Unknown commune"),
            ("r1", SRC, 7, "missing_id", "Thiếu mã hồ sơ", "No dossier id"),
            ("r9", "other.csv", 2, "ambiguous_commune", "Tên xã/phường mơ hồ", "Ambiguous"),
        ],
    )
    rollups.ensure(con)  # as an import would, in its transaction
    bump_version(con)  # and tells the pages' cache the data changed
    return con


def week() -> Period:
    return Period.of(PERIOD_FROM, PERIOD_TO, NOW)


def row(frame, key, value):
    return frame.filter(frame[key] == value).row(0, named=True)


def test_commune_figures_by_hand(defects_con):
    c3 = row(quality.commune_quality(defects_con, week()), "commune_code", C3)
    assert c3["rows"] == 9  # f01-f09; f10 was received before the period
    assert c3["date_conflicts"] == 3  # f03, f04, f09
    assert c3["unknown_procedure"] == 1  # f05
    assert c3["rows_passing"] == 5
    assert c3["correct"] == pytest.approx(5 / 9)
    assert c3["fields_required"] == 35  # 9 x 3 + a due date on the 8 received (not f08)
    assert c3["fields_filled"] == 32  # f02 due, f03 channel, f05 level missing
    assert c3["complete"] == pytest.approx(32 / 35)
    assert c3["missing_due_date"] == 1
    assert c3["suspected_duplicates"] == 1  # f07
    assert c3["clean"] == pytest.approx(8 / 9)
    assert c3["shareable"] == pytest.approx(8 / 9)  # all but f05
    assert c3["newest_at"] == ts(10, 15)
    assert c3["stale_workdays"] == 0 and c3["live"] == 1.0
    score = 30 * 5 / 9 + 25 * 32 / 35 + 10 * 8 / 9 + 20 * 1 + 15 * 8 / 9
    assert c3["quality_score"] == pytest.approx(score)  # 81.746...
    # resolved: f01 f02 f06 f07 on time (f02 without due), f09 late
    assert c3["on_time_rate"] == pytest.approx(4 / 5)
    assert c3["on_time_rate_with_due_date"] == pytest.approx(3 / 4)
    assert c3["on_time_flattery"] == pytest.approx(0.05)


def test_clean_fixture_communes(defects_con):
    frame = quality.commune_quality(defects_con, week())
    c1 = row(frame, "commune_code", C1)
    # 15 dossiers of C1 in the week; 13 received need a due date; d10 has none
    assert (c1["rows"], c1["fields_required"], c1["fields_filled"]) == (15, 58, 57)
    assert c1["correct"] == 1.0 and c1["shareable"] == 1.0
    assert c1["quality_score"] == pytest.approx(100 - 25 * (1 - 57 / 58))
    scores = quality.commune_quality_scores(defects_con, week())
    assert scores.columns[:2] == ["commune_code", "quality_score"]
    assert row(scores, "commune_code", C2)["quality_score"] == pytest.approx(100.0)


def test_live_counts_working_days():
    # Friday 10/10 to Wednesday 15/10: Monday 13 and Tuesday 14 had nothing
    assert quality.stale_workdays(ts(10, 15), ts(15, 23)) == 2
    assert quality.live_share(2) == 0.5
    # a holiday is not a missed working day: 01/09 and 02/09/2025 (Quốc khánh)
    assert quality.stale_workdays(datetime(2025, 8, 29, 16), datetime(2025, 9, 3, 9)) == 0
    assert quality.live_share(None) == 0.0 and quality.live_share(9) == 0.0


def test_live_over_a_later_period(defects_con):
    frame = quality.commune_quality(
        defects_con, Period.of(PERIOD_FROM, date(2025, 10, 15), datetime(2025, 10, 16, 10))
    )
    assert row(frame, "commune_code", C1)["stale_workdays"] == 1  # newest 13/10; 14/10 empty
    assert row(frame, "commune_code", C1)["live"] == 0.75
    assert row(frame, "commune_code", C3)["live"] == 0.5


def test_silent_communes_today(defects_con):
    today = Period.of(date(2025, 10, 13), date(2025, 10, 13), NOW)
    frame = quality.commune_quality(defects_con, today)
    silent = quality.silent_communes(frame, today, NOW)
    assert sorted(silent["commune_code"]) == [C2, C3]  # C1 received d14 at 09:00
    assert quality.silent_communes(frame, today, datetime(2025, 10, 13, 7, 0)) is None
    assert quality.silent_communes(frame, week(), NOW) is None  # period ended yesterday


def test_sources_and_cleaning(defects_con):
    sources = quality.source_quality(defects_con, week())
    src = row(sources, "source_file", SRC)
    assert src["rows"] == 9 and src["correct"] == pytest.approx(5 / 9)
    assert (src["runs"], src["rows_read"], src["rows_quarantined"]) == (2, 22, 2)
    assert src["ingest_pass_share"] == pytest.approx(20 / 22)
    assert src["rows_merged"] == (12 - 9 - 2) + (10 - 1 - 0)
    assert sorted(quality.stale_sources(sources)["source_file"]) == ["broken.csv"]
    reasons = quality.quarantine_reasons(defects_con)
    assert reasons["quarantined_rows"].sum() == 3
    assert quality.names_to_map(reasons) == 2  # unknown + ambiguous commune
    unmapped = quality.unmapped_procedures(defects_con)
    assert sorted(unmapped["procedure_code"]) == ["1.999999", "9.999999"]
    assert row(unmapped, "procedure_code", "1.999999")["procedure_name"] == "Thủ tục lạ"


def test_city_figures_add_up(defects_con):
    city = quality.city_quality(quality.commune_quality(defects_con, week()))
    assert city["rows"] == 15 + 6 + 9
    assert city["correct"] == pytest.approx((15 + 6 + 5) / 30)
    assert city["resolved_no_due_date"] == 2  # d10 and f02
    # resolved in the week: C1 7 (5 on time), C2 e01 e02 e03 e04 e06 all on time, C3 5 (4)
    assert (city["resolved"], city["resolved_on_time"]) == (17, 14)
    assert city["on_time_rate"] == pytest.approx(14 / 17)
    assert city["on_time_rate_with_due_date"] == pytest.approx(12 / 15)
    assert city["on_time_flattery"] == pytest.approx(14 / 17 - 12 / 15)
    assert city["clean"] == pytest.approx(1 - 1 / 30)  # f07
    # live and the score: the mean over the three communes (all live on the week's last day)
    c1, c3 = 100 - 25 * (1 - 57 / 58), 30 * 5 / 9 + 25 * 32 / 35 + 10 * 8 / 9 + 20 + 15 * 8 / 9
    assert city["live"] == 1.0
    assert city["quality_score"] == pytest.approx((c1 + 100 + c3) / 3)


def test_ward_chair_is_held_to_the_own_commune_in_the_package(defects_con):
    chair = Scope(WARD_CHAIR, C3, "chair3")
    frame = quality.commune_quality(defects_con, week(), scope=chair)
    assert frame["commune_code"].to_list() == [C3]
    assert frame["rows"].to_list() == [9] and frame["correct"][0] == pytest.approx(5 / 9)
    own = quality.city_quality(frame)
    assert (own["rows"], own["resolved"], own["resolved_no_due_date"]) == (9, 5, 1)
    assert own["on_time_rate_with_due_date"] == pytest.approx(3 / 4)
    assert quality.held_commune(chair) == C3
    for role in (CITY_LEADER, ADMIN):
        assert quality.held_commune(Scope(role)) is None
        assert quality.commune_quality(defects_con, week(), scope=Scope(role)).height == 3
    with pytest.raises(ScopeError):  # a ward chair bound to no commune sees nothing
        quality.commune_quality(defects_con, week(), scope=Scope(WARD_CHAIR, None))


def test_page(defects_con, fixture_db):
    defects_con.execute("checkpoint")
    at = AppTest.from_file(str(ROOT / "pages" / "quality.py"), default_timeout=60)
    for key, value in {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}.items():
        at.query_params[key] = value
    at.query_params["commune"] = C3
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hồ sơ trong kho"] == "37"  # 27 of the fixture + 10
    assert metrics["Dòng bị cách ly"] == "3"
    assert metrics["Đúng"] == "55,6%"  # 5 / 9 for Xã Ba
    assert metrics["Đủ"] == "91,4%"  # 32 / 35
    assert any("Điểm = 100 ×" in m.value for m in at.markdown)
    assert any("Tỷ lệ đúng hạn 80,0%; nếu bỏ các hồ sơ này: 75,0%" in m.value for m in at.markdown)


def test_page_ward_chair_sees_own_commune_only(defects_con, fixture_db):
    defects_con.execute("checkpoint")
    at = AppTest.from_file(str(ROOT / "pages" / "quality.py"), default_timeout=60)
    at.session_state["scope"] = Scope(WARD_CHAIR, C3)
    for key, value in {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}.items():
        at.query_params[key] = value
    at.query_params["commune"] = C1  # asking for another commune changes nothing
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Đúng"] == "55,6%"  # Xã Ba's own figures
    table = at.dataframe[0].value
    assert table["Xã/phường"].to_list() == ["Xã Ba"]
    assert "Theo tệp nguồn" not in [s.value for s in at.subheader]


def test_league_column_flags_weak_or_stale_data():
    import polars as pl

    table = pl.DataFrame({"commune_code": [C2, C1, C3]})
    scores = pl.DataFrame(
        {
            "commune_code": [C1, C2, C3],
            "quality_score": [99.56, 65.0, 90.0],
            "stale_workdays": [0, 0, 2],
        }
    )
    column = quality.score_column(table, scores, "vi")
    assert column.name == "Chất lượng dữ liệu (/100)"
    assert column.to_list() == ["65,0 ⚠", "99,6", "90,0 ⚠"]


def test_league_table_shows_the_quality_score_beside_the_service_score(fixture_db):
    at = AppTest.from_file(str(ROOT / "pages" / "league.py"), default_timeout=60)
    for key, value in {"period": "custom", "from": "2025-10-06", "to": "2025-10-12"}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    columns = list(table.columns)
    assert columns.index("Chất lượng dữ liệu (/100)") == columns.index("Điểm (/100)") + 1
    by_name = dict(zip(table["Xã/phường"], table["Chất lượng dữ liệu (/100)"], strict=True))
    # C1: 100 - 25 x (1 - 57/58) = 99.57; C2 clean; C3 has no dossier in the week: no score
    assert by_name == {"Phường Một": "99,6", "Xã Hai": "100,0", "Xã Ba": "— ⚠"}
