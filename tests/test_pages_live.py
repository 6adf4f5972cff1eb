"""AppTest of Thời gian thực: today's figures, and the refresh picking up new data."""

from __future__ import annotations

from datetime import datetime

from test_pages_league import app_on

from ioc import rollups, store


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_live_page_and_refresh(fixture_db, monkeypatch):
    # IOC_NOW 13/10/2025 10:00: d14 received today 09:00, d16 finished today 09:00
    at = app_on("pages/live.py")
    assert not at.exception
    figures = metrics(at)
    assert figures["Tiếp nhận hôm nay"] == "1"
    assert figures["Giải quyết hôm nay"] == "1"
    assert figures["Quá hạn"] == "3"  # d04 d12 e05
    assert len(at.get("plotly_chart")) == 1
    by_commune, _, dossiers = (d.value for d in at.dataframe)
    assert by_commune["Tên"].tolist() == ["Phường Một", "Xã Hai"]
    assert dossiers["Mã hồ sơ"].tolist()[:3] == ["d12", "d04", "e05"]
    # the data is an hour old: the age line is amber
    assert any(":orange[" in m.value for m in at.markdown)

    # a dossier arrives at 10:20 and the clock moves on; the next refresh shows it
    with store.connect(fixture_db) as con:
        con.execute(
            "insert into dossiers (dossier_id, procedure_code, commune_code, channel, "
            "service_level, received_at, status, has_fee, digitized, applicant_masked) "
            "values ('n1', '1.001193', '90001', 'online', 'full', ?, 'accepted', false, true, "
            "'Lê V. C.')",
            [datetime(2025, 10, 13, 10, 20)],
        )
        store.set_meta(con, "data_version", "2")
        rollups.ensure(con)  # as an import would, in its transaction
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:25:00")
    at.run()
    assert metrics(at)["Tiếp nhận hôm nay"] == "2"
    assert not any(":orange[" in m.value for m in at.markdown)  # 5 minutes old now
    assert any("10:25:00" in c.value for c in at.caption)
