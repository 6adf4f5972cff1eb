"""The query loader: declared parameters must match exactly; the read path cannot write."""

from __future__ import annotations

from datetime import date

import pytest

from ioc import store


def test_missing_and_extra_parameters_are_refused(fixture_con):
    with pytest.raises(store.QueryParameterError, match="missing \\['province'\\]"):
        store.run_query(fixture_con, "communes_of_province")
    with pytest.raises(store.QueryParameterError, match="extra \\['commune'\\]"):
        store.run_query(fixture_con, "communes_of_province", province="01", commune="90001")
    rows = store.run_query(fixture_con, "communes_of_province", province="01")
    assert rows["commune_code"].to_list() == ["90001", "90002", "90003"]


def test_writes_refused_on_the_read_path(fixture_con):
    params = {
        "metric": "online_rate",
        "scope": "city",
        "target": 0.9,
        "effective_from": date(2026, 1, 1),
        "note": None,
        "created_at": None,
    }
    declared = store.load_query("target_insert")[1]
    params = {k: v for k, v in params.items() if k in declared} | {
        k: None for k in declared if k not in params
    }
    before = fixture_con.execute("select count(*) from targets").fetchone()[0]
    with pytest.raises(store.ReadOnlyQueryError):
        store.run_query(fixture_con, "target_insert", **params)
    assert fixture_con.execute("select count(*) from targets").fetchone()[0] == before


def test_injection_text_is_a_value_not_sql(fixture_con):
    rows = store.run_query(fixture_con, "communes_of_province", province="01' or 1=1 --")
    assert rows.height == 0


def test_concurrent_reads_answer_in_order_and_raise_what_fails(fixture_con):
    """store.concurrently: the answers of independent queries in the order asked, each on its own
    cursor, the same as run one after the other; a failing call's error reaches the caller."""
    calls = [
        lambda: store.run_query(fixture_con, "communes_of_province", province="01"),
        lambda: store.run_query(fixture_con, "communes_of_province", province="02"),
        lambda: fixture_con.cursor().execute("select 42").fetchone()[0],
    ]
    together = store.concurrently(*calls)
    assert together[0].equals(calls[0]()) and together[1].equals(calls[1]())
    assert together[0]["commune_code"].to_list() == ["90001", "90002", "90003"]
    assert together[1]["commune_code"].to_list() == ["90009"] and together[2] == 42

    def broken():
        raise store.QueryParameterError("missing $province")

    with pytest.raises(store.QueryParameterError, match="missing"):
        store.concurrently(broken, calls[2])
