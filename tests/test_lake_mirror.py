"""A replica's mirror of the lake (issue 17, ioc/mirror.py): the copied and pinned tables as they
stood at one snapshot, the tables people write read now, rebuilt when an import changes the data,
and the figures of a data version computed on the mirror of that very version."""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest
from fixtures import C1, C2, C3, PERIOD_FROM, PERIOD_TO

from ioc import config, kpi, migrations, mirror, startup, store, ui
from ioc.ingest import ingest_file
from ioc.kpi import Period

PERIOD = Period.of(PERIOD_FROM, PERIOD_TO, now=datetime(2025, 10, 20, 9, 0))
HEADER = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc xử lý\n"


@pytest.fixture
def store_backend() -> str:
    return "ducklake"


@pytest.fixture
def catalog(fixture_con):
    con = mirror.catalog_connection()
    yield con
    con.close()


def row(frame, code: str) -> dict:
    return next(r for r in frame.iter_rows(named=True) if r["commune_code"] == code)


def import_c3(con, tmp_path) -> None:
    """Three dossiers of C3, received and finished on time in the fixture's week."""
    path = tmp_path / "c3.csv"
    lines = [
        f"T{n},1.001193,90003,2,10,0{n}/10/2025 09:00,0{n}/10/2025 17:00,0{n}/10/2025 11:00\n"
        for n in (7, 8, 9)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    assert ingest_file(con, path).rows_inserted == 3


def test_every_store_table_is_copied_pinned_or_read_live():
    schema = migrations.SCHEMA_FILE.read_text(encoding="utf-8")
    tables = set(re.findall(r"create table if not exists (\w+)", schema))
    tables |= set(migrations.derived_tables())
    kinds = (mirror.COPIED, mirror.PINNED_VIEWS, mirror.LIVE)
    assert set().union(*kinds) == tables  # a new table must be given its kind here
    assert sum(len(kind) for kind in kinds) == len(tables)  # and only one


def test_the_mirror_stands_at_its_snapshot_until_an_import_changes_the_data(
    fixture_con, catalog, tmp_path
):
    con = fixture_con
    copy = mirror.build(catalog)
    assert copy.data_version == store.get_meta(con, "data_version")
    assert copy.rows > 0  # the rollups and reference rows are in the replica's memory
    assert not mirror.is_stale(catalog, copy)

    import_c3(con, tmp_path)
    assert mirror.is_stale(catalog, copy)
    # the mirror still reads as it stood: the ranking tests/test_kpi.py works out by hand
    then = kpi.commune_ranking(copy.con, PERIOD, province="01", median=True)
    assert then["commune_code"].to_list() == [C2, C1, C3]
    assert row(then, C1)["received"] == 13 and row(then, C3)["received"] == 0
    assert row(then, C2)["online_rate"] == pytest.approx(4 / 6)
    dossiers = "select count(*) from dossiers where commune_code = ?"
    assert copy.con.execute(dossiers, [C3]).fetchone()[0] == 0  # a pinned view, not a copy

    refresher = mirror.Refresher()
    assert refresher.refresh(catalog)  # no mirror yet: built
    assert not refresher.refresh(catalog)  # nothing changed since: kept
    now = refresher.current
    assert now.snapshot > copy.snapshot
    assert now.data_version == store.get_meta(con, "data_version") != copy.data_version
    assert row(kpi.commune_ranking(now.con, PERIOD, province="01"), C3)["received"] == 3
    assert now.con.execute(dossiers, [C3]).fetchone()[0] == 3


def test_what_people_write_is_read_now_and_rebuilds_nothing(fixture_con, catalog):
    con = fixture_con
    copy = mirror.build(catalog)
    store.set_meta(con, "probe", "after the mirror")
    con.execute(
        "insert into audit_log (logged_at, username, action) "
        "values (now()::timestamp, 'an', 'view')"
    )
    assert store.get_meta(copy.con, "probe") == "after the mirror"
    assert copy.con.execute("select count(*) from audit_log").fetchone()[0] == 1
    assert not mirror.is_stale(catalog, copy)


def test_a_replicas_figures_are_computed_on_the_mirror_of_their_version(
    fixture_con, tmp_path, monkeypatch
):
    monkeypatch.setattr(startup, "_WORKER", [False])  # this process is an app replica
    version = store.get_meta(fixture_con, "data_version")
    key = f"{config.db_path()}#{version}"

    def served() -> object:
        deadline = time.monotonic() + 60
        while (found := mirror.serving(version)) is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the refresher's thread builds it
        return found

    copy = served()
    assert copy is not None and mirror.refresher().current.data_version == version
    with ui.reader(key) as cur:
        assert cur.execute("select current_database()").fetchone()[0] == "memory"  # the copy
    import_c3(fixture_con, tmp_path)
    following = store.get_meta(fixture_con, "data_version")
    # a figure of the old version is not computed on a newer mirror, nor the reverse
    deadline = time.monotonic() + 60
    while mirror.serving(following) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert mirror.serving(version) is None
    with ui.reader(f"{config.db_path()}#{following}") as cur:
        ranking = kpi.commune_ranking(cur, PERIOD, province="01")
    assert row(ranking, C3)["received"] == 3


def test_the_mirror_is_off_with_its_setting_and_on_the_file(fixture_con, monkeypatch):
    monkeypatch.setattr(startup, "_WORKER", [False])
    assert mirror.enabled()
    monkeypatch.setenv("IOC_LAKE_MIRROR", "0")
    assert not mirror.enabled() and mirror.serving("1") is None
    monkeypatch.delenv("IOC_LAKE_MIRROR")
    monkeypatch.setattr(startup, "_WORKER", [True])  # ioc worker reads the lake itself
    assert not mirror.enabled()
    monkeypatch.setenv("IOC_STORE", "duckdb")
    monkeypatch.setattr(startup, "_WORKER", [False])
    assert not mirror.enabled()


def test_views_stay_at_the_mirrors_version_while_it_catches_up_and_never_go_back(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr(mirror.time, "monotonic", lambda: clock[0])
    refresher = mirror.Refresher()

    def at(version: str) -> mirror.Mirror:
        return mirror.Mirror(None, 1, version, frozenset(), 0.0, 0)

    refresher.current = at("5")
    assert refresher.version_to_serve("5", writes=0) == "5"
    # an import lands (6): the views stay at 5 while the mirror is rebuilt ...
    assert refresher.version_to_serve("6", writes=0) == "5"
    clock[0] += mirror.CATCH_UP_SECONDS - 1
    assert refresher.version_to_serve("6", writes=0) == "5"
    # ... at most CATCH_UP_SECONDS: then the lake's 6, and never 5 again
    clock[0] += 1
    assert refresher.version_to_serve("6", writes=0) == "6"
    clock[0] = 0.0
    assert refresher.version_to_serve("6", writes=0) == "6"
    refresher.current = at("6")  # the new mirror: a later import waits for the next one
    assert refresher.version_to_serve("7", writes=0) == "6"
    refresher.current = at("7")
    assert refresher.version_to_serve("7", writes=0) == "7"
    # a write this process sent through the worker shows at once
    assert refresher.version_to_serve("8", writes=1) == "8"
    assert refresher.version_to_serve("8", writes=1) == "8"
    # a process that starts behind its mirror reads the lake's version
    fresh = mirror.Refresher()
    fresh.current = at("3")
    assert fresh.version_to_serve("4", writes=0) == "4"
