"""A real city's first day (issue 14): a production store from nothing, with IOC_DEMO=0: `ioc init`
loads the reference data and nothing else, the first administrator is created (from the console's
token on the set-up page, or `ioc user add`), an export is imported, and its figures show.

The export's figures by hand (period 06/10–12/10/2025, as of the end of 12/10):
Phường Cửa Nam (00073) receives H1 (online, processing, due 10/10: open and overdue), H2 (at the
counter, returned 09/10 on time) and H3 (by post, processing, due 13/10: open, due soon on the next
working day): received 3, online 1, open 2, overdue 1, resolved 1.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ioc import auth, cli, reference, startup, store
from ioc.ingest import runs
from ioc.scope import ADMIN

ROOT = Path(__file__).resolve().parent.parent
CUA_NAM = "00073"
EXPORT = (
    "Mã hồ sơ,Mã TTHC,Xã/Phường,Kênh thực hiện,Trạng thái,Ngày tiếp nhận,Ngày hẹn trả,"
    "Ngày kết thúc xử lý\n"
    "H1,1.001193,Phường Cửa Nam,Trực tuyến,Đang xử lý,09/10/2025 09:00,10/10/2025 17:00,\n"
    "H2,1.001193,Phường Cửa Nam,Trực tiếp,Đã trả kết quả,09/10/2025 10:00,10/10/2025 17:00,"
    "09/10/2025 15:00\n"
    "H3,2.000815,Phường Cửa Nam,Qua dịch vụ bưu chính công ích,Đang xử lý,10/10/2025 08:00,"
    "13/10/2025 17:00,\n"
)


@pytest.fixture
def production(tmp_path, monkeypatch) -> Path:
    """Settings of a production deployment; the store does not exist yet."""
    monkeypatch.setenv("IOC_DB", str(tmp_path / "ioc.duckdb"))
    monkeypatch.setenv("IOC_DEMO", "0")
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    monkeypatch.setenv("IOC_INBOX", str(tmp_path / "inbox"))
    monkeypatch.setenv("IOC_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setattr(auth, "BCRYPT_ROUNDS", 4)
    return tmp_path / "ioc.duckdb"


def run_cli(capsys, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    if stdin is not None:
        sys.stdin = io.StringIO(stdin)
    try:
        code = cli.main(list(args))
    finally:
        sys.stdin = sys.__stdin__
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ioc_init_loads_the_reference_and_nothing_else(production, capsys):
    code, out, _ = run_cli(capsys, "init")
    assert code == 0
    assert "provinces: 34" in out and "communes: 3321" in out  # vietnam-provinces since 1/7/2025
    with store.connect(production) as con:
        counts = con.execute(
            "select (select count(*) from dossiers), (select count(*) from users), "
            "(select count(*) from parcels), (select count(distinct province_code) from communes)"
        ).fetchone()
        assert counts == (0, 0, 0, 34)
        assert startup.is_production(con)
    code, out, _ = run_cli(capsys, "init")  # idempotent
    assert code == 0 and "already loaded (nothing changed)" in out


def test_refresh_says_what_changed_and_leaves_dossiers(production, capsys):
    run_cli(capsys, "init")
    path = production.parent / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    assert run_cli(capsys, "ingest", str(path))[0] == 0
    with store.connect(production) as con:  # what an older package release would have held
        con.execute(
            "update communes set commune_name = 'Phường Cửa Nam Cũ' where commune_code = ?",
            [CUA_NAM],
        )
        con.execute("delete from procedures where procedure_code = '1.000656'")
        con.execute("update procedures set statutory_days = 99 where procedure_code = '2.000815'")
        before = con.execute("select * from dossiers order by dossier_id").fetchall()
    code, out, _ = run_cli(capsys, "init", "--refresh")
    assert code == 0
    assert "3 change(s)" in out
    assert "commune_renamed: 00073  Phường Cửa Nam Cũ (Thành phố Hà Nội) -> Phường Cửa Nam" in out
    assert "procedure_added: 1.000656" in out
    assert "procedure_changed: 2.000815" in out and "99.0" in out
    with store.connect(production) as con:
        assert con.execute("select * from dossiers order by dossier_id").fetchall() == before
        changes, _ = reference.refresh(con)
        assert changes.height == 0  # refreshed: nothing left to change


def test_the_first_day_through_the_command_line(production, capsys):
    assert run_cli(capsys, "init")[0] == 0
    code, out, _ = run_cli(
        capsys,
        "user",
        "add",
        "quantri",
        "--role",
        "admin",
        "--password-stdin",
        stdin="mat-khau-1\n",
    )
    assert code == 0 and "quantri added: admin" in out
    path = production.parent / "cua_nam.csv"
    path.write_text(EXPORT, encoding="utf-8")
    code, out, err = run_cli(capsys, "ingest", str(path))
    assert code == 0, err
    code, out, _ = run_cli(
        capsys,
        "kpi",
        "--from",
        "2025-10-06",
        "--to",
        "2025-10-12",
        "--commune",
        CUA_NAM,
        "--format",
        "json",
    )
    import json

    (row,) = json.loads(out)
    assert (row["received"], row["received_online"], row["resolved"]) == (3, 1, 1)
    assert (row["open_at_end"], row["open_overdue"], row["open_due_soon"]) == (2, 1, 1)
    with store.connect(production) as con:
        assert not auth.needs_setup(con)
        assert auth.list_users(con)["is_demo"].to_list() == [False]  # no demo account, ever


def test_ingest_and_serve_load_the_reference_of_an_empty_store(production, capsys):
    path = production.parent / "cua_nam.csv"
    path.write_text(EXPORT, encoding="utf-8")
    code, out, _ = run_cli(capsys, "ingest", str(path))  # no `ioc init` first
    assert code == 0
    assert "reference data loaded first (3321 communes" in out
    assert "quarantined 0" in out  # every row found its commune
    other = production.with_name("other.duckdb")
    with startup.open_store(other) as con:  # what serve and the first page view open
        assert con.execute("select count(*) from communes").fetchone()[0] == 3321
        assert con.execute("select count(*) from dossiers").fetchone()[0] == 0  # no demo


def test_ioc_demo_refuses_a_store_with_real_data(production, capsys):
    run_cli(capsys, "init")
    code, _, err = run_cli(capsys, "demo")
    assert code == 2 and "not replaced by demo data" in err and err.count("\n") == 1
    assert production.exists()
    with store.connect(production) as con:
        assert startup.is_production(con)


def test_a_command_beside_the_running_app_answers_in_one_line(production, capsys):
    run_cli(capsys, "init")
    holder = duckdb.connect(str(production))  # as the running app holds it
    try:
        import subprocess

        out = subprocess.run(
            [sys.executable, "-m", "ioc", "user", "list"], capture_output=True, text=True
        )
    finally:
        holder.close()
    assert out.returncode == 2
    assert out.stderr.startswith("ioc: ") and out.stderr.count("\n") == 1
    assert "Traceback" not in out.stderr and "stop the app" in out.stderr


def test_the_first_administrator_from_the_set_up_page(production):
    with store.connect(production) as con:
        reference.ensure_loaded(con)
        path = production.parent / "cua_nam.csv"
        path.write_bytes(EXPORT.encode("utf-8"))
        runs.import_uploads(con, [("cua_nam.csv", EXPORT.encode("utf-8"))])
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert at.title[0].value == "Thiết lập lần đầu"
    assert "3.321 xã/phường của 34 tỉnh/thành" in at.caption[0].value

    def submit(token: str, username: str, password: str, again: str) -> None:
        at.text_input(key="setup_token").input(token)
        at.text_input(key="setup_username").input(username)
        at.text_input(key="setup_password").input(password)
        at.text_input(key="setup_again").input(again)
        at.button[0].click().run()

    submit("doan-bua", "quantri", "mat-khau-1", "mat-khau-1")
    assert at.error[0].value.startswith("Mã thiết lập không đúng")
    submit(auth.setup_token(), "quantri", "mat-khau-1", "mat-khau-2")
    assert at.error[0].value == "Hai mật khẩu không khớp."
    submit(auth.setup_token(), "quantri", "mat-khau-1", "mat-khau-1")
    assert not at.exception and not at.error
    assert at.session_state["scope"].role == ADMIN
    with store.connect(production) as con:
        assert not auth.needs_setup(con)
        with pytest.raises(auth.AuthError, match="setup_done"):
            auth.create_first_admin(con, auth.setup_token(), "thu-hai", "mat-khau-2")

    # the figures of the imported commune on the overview
    at.query_params["commune"] = CUA_NAM
    at.switch_page(str(ROOT / "pages" / "overview.py")).run()
    assert not at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards["Hồ sơ tiếp nhận"] == "3"
    assert cards["Tỷ lệ trực tuyến"] == "33,3%"
    assert cards["Hồ sơ quá hạn đang xử lý"] == "1"

    # a new session now meets the sign-in form, not the set-up page
    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert again.title[0].value == "Đăng nhập"


def test_no_demo_account_in_a_production_store_even_with_demo_mode_on(production, monkeypatch):
    """`ioc init` then a server started without IOC_DEMO=0 (the default is on): no demo account
    is made, and demo accounts a store holds are removed once it is no demo store."""
    from ioc import cli as ioc_cli

    ioc_cli.main(["init"])
    monkeypatch.setenv("IOC_DEMO", "1")
    with startup.open_store(production) as con:
        assert auth.list_users(con).is_empty()
        with pytest.raises(auth.AuthError):
            auth.authenticate(con, "quantri", "quantri-demo")
    demo_store = production.with_name("demo.duckdb")
    with store.connect(demo_store) as con:
        reference.ensure_loaded(con)
        assert len(auth.ensure_demo_accounts(con)) == 4  # a demo store has them
    monkeypatch.setenv("IOC_DEMO", "0")
    startup._instances.clear()
    with startup.open_store(demo_store) as con:
        assert auth.list_users(con).is_empty()
        removed = con.execute(
            "select count(*) from audit_log where action = 'user_remove'"
        ).fetchone()[0]
        assert removed == 4


def test_a_full_disk_is_one_line_not_a_traceback(production, capsys, monkeypatch):
    run_cli(capsys, "init")
    path = production.parent / "cua_nam.csv"
    path.write_text(EXPORT, encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ioc.ingest.ingest_file", full)
    code, _, err = run_cli(capsys, "ingest", str(path))
    assert code == 2
    last = err.splitlines()[-1]  # after the progress bar's lines
    assert last == f"ioc: the disk of {production} is full: free space, then run the command again"
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "page",
    ["overview", "league", "drilldown", "live", "quality", "presentation", "kpi_map", "land"],
)
def test_every_page_opens_on_a_store_with_no_dossier_yet(production, capsys, page):
    """The first administrator's first look, before any export is imported: no page fails."""
    from ioc.scope import CITY_LEADER, Scope

    assert run_cli(capsys, "init")[0] == 0
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    auth.sign_in_session(at.session_state, Scope(CITY_LEADER, None, "lan"))
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
