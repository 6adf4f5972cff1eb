"""A corpus of hostile and broken files (issue 20), generated here, imported one after another
into one store in a child process (an abort of a reader library would end the child, not the
test run), then again through the inbox: no crash, no traceback, a clear failed run or row-level
quarantine for each, the good rows landed, and the next file imported."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from hostile_files import feature, feature_collection, polygon, sheet, xlsx, zipped
from ingest_fixture import HK, cp1258, make_ingest_store

from ioc import store

ROOT = Path(__file__).resolve().parent.parent
H = "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày tiếp nhận"
HEADER = H.split(",")
DATES = (
    "Mã hồ sơ,Mã TTHC,Mã xã,Kênh thực hiện,Trạng thái,Ngày nộp,Ngày tiếp nhận,Ngày hẹn trả,"
    "Ngày kết thúc xử lý,Ngày trả kết quả,Ngày từ chối"
)
SQUARE = [[105.850, 21.030], [105.851, 21.030], [105.851, 21.031], [105.850, 21.031]]


def row(dossier_id: str, received: str = "09/10/2025 09:00") -> str:
    return f"{dossier_id},1.001193,00070,2,4,{received}"


def letters(n: int) -> str:
    """Text that does not compress much (a long cell that is no zip bomb)."""
    return "".join(random.Random(n).choices("abcdefghijklmnopqrstuvwxyz", k=n))


def csv(*rows: str) -> bytes:
    return "\n".join([H, *rows, ""]).encode()


def dated(
    dossier_id: str, submitted="", received="", due="", finished="", returned="", rejected=""
):
    return f"{dossier_id},1.001193,00070,2,4,{submitted},{received},{due},{finished},{returned},{rejected}"  # noqa: E501


def parquet(columns: dict) -> bytes:
    out = io.BytesIO()
    pl.DataFrame(columns, strict=False).write_parquet(out)
    return out.getvalue()


def portal(*records: dict) -> bytes:
    return json.dumps([{"hoSo": r} for r in records]).encode()


def record(dossier_id: str, **extra) -> dict:
    return {
        "MaHoSo": dossier_id,
        "MaTTHC": "1.001193",
        "DonViXuLy": HK,
        "KenhThucHien": 2,
        "TrangThaiHoSo": 4,
        "NgayTiepNhan": "20251006083000",
        **extra,
    }


def corpus() -> dict[str, tuple[bytes, tuple]]:
    """file name -> (bytes, expectation): ("failed", words in the message) or
    ("ok", rows inserted, {quarantine reason: count})."""
    noise = random.Random(20).randbytes
    good_xlsx = xlsx({"Data": sheet([HEADER, row("XG1").split(","), row("XG2").split(",")])})
    far = '<row r="1048576"><c r="{0}1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    bowtie = [[105.850, 21.030], [105.851, 21.031], [105.851, 21.030], [105.850, 21.031]]
    ok, failed = "ok", "failed"
    files = {
        # --- CSV: row level ---
        "c01_good.csv": (csv(row("C1"), row("C2"), row("C3")), (ok, 3, {})),
        "c02_nul_bytes.csv": (csv(row("N\x001"), row("N2\x00")), (ok, 2, {})),
        "c03_mixed_encoding.csv": (
            (H + ",Họ tên người nộp\n").encode()
            + b"".join(f"{row(f'M{i}')},Nguyễn Văn An\n".encode() for i in range(50))
            + cp1258(f"{row('M50')},Trần Thị Bình\n")
            + b"".join(f"{row(f'M{i}')},Lê Văn Cường\n".encode() for i in range(51, 60)),
            (ok, 60, {}),
        ),
        "c04_two_digit_year.csv": (
            csv(row("Y1", "01/12/26 08:00:00"), row("Y2")),
            (ok, 1, {"future_date": 1}),  # read as 01/12/2026: after now
        ),
        "c05_year_1900.csv": (
            csv(row("Y3", "01/12/1900 08:00"), row("Y4", "01/12/0001")),
            (ok, 0, {"date_out_of_range": 1, "bad_date": 1}),
        ),
        "c06_long_id.csv": (csv(row("L" * 50_000), row("L2")), (ok, 1, {"value_too_long": 1})),
        "c07_long_name.csv": (
            (H + ",Họ tên người nộp\n" + row("L3") + "," + "A" * 300 + "\n").encode(),
            (ok, 1, {}),  # 300 characters: under the 2,000 any value may have
        ),
        "c08_date_order.csv": (
            "\n".join(
                [
                    DATES,
                    dated("D1", "09/10/2025 10:00", "09/10/2025 09:00"),  # submitted after
                    dated("D2", "", "09/10/2025 09:00", "", "10/10/2025", "09/10/2025"),  # returned
                    dated("D3", "", "09/10/2025 09:00", "", "", "", "08/10/2025"),  # rejected
                    dated("D4", "", "09/10/2025 09:00", "08/10/2025"),  # due before received
                    dated("D5", "09/10/2025", "09/10/2025 09:00", "", "10/10/2025", "10/10/2025"),
                    dated("D6", "", "09/10/2025 09:00", "", "09/10/2025"),  # same day, no time
                ]
            ).encode(),
            (ok, 1, {"date_order": 5}),  # D6 too: a finish without a time, before 09:00
        ),
        "c09_due_far_future.csv": (
            f"{DATES}\n{dated('D7', '', '09/10/2025 09:00', '09/10/2999')}\n".encode(),
            (ok, 0, {"date_out_of_range": 1}),
        ),
        "c10_ragged.csv": (csv(row("R1") + ",extra", row("R2")), (ok, 1, {"too_many_cells": 1})),
        "c11_bad_dates.csv": (
            csv(row("B1", "31/02/2025"), row("B2", "1e308"), row("B3", "NaN"), row("B4")),
            (ok, 1, {"bad_date": 3}),
        ),
        "c12_extreme_ids.csv": (csv(row("1e308"), row("NaN"), row("-0")), (ok, 3, {})),
        "c13_formula_text.csv": (csv(row('=HYPERLINK("http://x";"y")')), (ok, 1, {})),
        "c14_utf16.csv": ((H + "\n" + row("U1") + "\n").encode("utf-16"), (ok, 1, {})),
        "c15_unterminated_quote.csv": (csv(row("Q1"), '"Q2,1.001193,00070,2,4,09/10/2025'), None),
        "c16_cr_only.csv": (csv(row("CR1")).replace(b"\n", b"\r"), None),
        # --- CSV: file level ---
        "c20_empty.csv": (b"", (failed, "the file is empty")),
        "c21_header_only.csv": ((H + "\n").encode(), (failed, "no data rows")),
        "c22_binary_garbage.csv": (noise(5000), (failed,)),
        "c23_long_line.csv": (
            csv(row("LL1") + "," + "x" * (2 << 20)),
            (failed, "field larger than field limit"),
        ),
        "c24_xlsx_named_csv.csv": (
            xlsx({"Data": sheet([HEADER, row("XC1").split(",")])}),
            (failed, "no header row"),
        ),
        "c25_separators_only.csv": (b",,,,\n,,,,\n", (failed, "no header row")),
        "c26_no_id_column.csv": (b"Ma TTHC,Ma xa\n1,2\n", (failed, "no dossier id column")),
        # --- workbooks ---
        "x01_good.xlsx": (good_xlsx, (ok, 2, {})),
        "x02_far_cell_xfd.xlsx": (
            xlsx({"Data": sheet([HEADER], extra=far.format("XFD"))}),
            (failed, "IOC_MAX_SHEET_CELLS"),
        ),
        "x03_far_cell_z.xlsx": (
            xlsx({"Data": sheet([HEADER], extra=far.format("Z"))}),
            (failed, "IOC_MAX_SHEET_CELLS"),
        ),
        "x04_lying_dimension.xlsx": (
            xlsx({"Data": sheet([HEADER], dimension="A1:F2", extra=far.format("Z"))}),
            (failed, "IOC_MAX_SHEET_CELLS"),
        ),
        "x05_huge_dimension.xlsx": (
            xlsx({"Data": sheet([HEADER, row("XD").split(",")], dimension="A1:XFD1048576")}),
            (ok, 1, {}),  # the reader goes by the cells, not by what <dimension> claims
        ),
        "x06_huge_shared_string.xlsx": (
            xlsx(
                {"Data": sheet([HEADER], extra='<row r="2"><c r="A2" t="s"><v>0</v></c></row>')},
                shared=[letters(3 << 20)],
            ),
            (ok, 0, {"value_too_long": 1}),
        ),
        "x07_huge_inline_cell.xlsx": (
            xlsx({"Data": sheet([HEADER, [letters(3 << 20), *row("").split(",")[1:]]])}),
            (ok, 0, {"value_too_long": 1}),
        ),
        "x08_zip_bomb.xlsx": (
            xlsx({"Data": sheet([HEADER])}, big_entry=60 << 20),
            (failed, "IOC_MAX_ZIP_RATIO"),
        ),
        "x09_data_on_second_sheet.xlsx": (
            xlsx(
                {
                    "Hướng dẫn": sheet([["Cách điền"], ["Mã hồ sơ", "Mã TTHC", "Mã xã"]]),
                    "Dữ liệu": sheet([HEADER, row("XS1").split(","), row("XS2").split(",")]),
                }
            ),
            (ok, 2, {}),
        ),
        "x10_truncated.xlsx": (good_xlsx[: len(good_xlsx) // 2], (failed,)),
        "x11_text_named_xlsx.xlsx": (csv(row("T1")), (failed,)),
        "x12_header_only.xlsx": (xlsx({"Data": sheet([HEADER])}), (failed, "no data rows")),
        "x13_two_digit_year.xlsx": (
            xlsx({"Data": sheet([HEADER, row("XY1", "01/12/26 08:00:00").split(",")])}),
            (ok, 0, {"future_date": 1}),
        ),
        "x14_no_workbook_part.xlsx": (zipped({"xl/worksheets/sheet1.xml": b"<x/>"}), (failed,)),
        "x15_garbage.xls": (noise(4096), (failed,)),
        "x16_garbage.ods": (zipped({"content.xml": b"<nothing/>"}), (failed,)),
        "x17_empty.xlsx": (b"", (failed,)),
        # --- JSON ---
        "j01_good.json": (portal(record("J1"), record("J2")), (ok, 2, {})),
        "j02_deep_nesting.json": (b"[" * 100_000 + b"]" * 100_000, (failed, "RecursionError")),
        "j03_odd_steps.json": (
            portal(
                record("J3", QuaTrinhXuLy=5),
                record("J4", QuaTrinhXuLy="abc"),
                record("J5", QuaTrinhXuLy={"ThoiDiemXuLy": "x"}),
                record("J6", QuaTrinhXuLy=[1, None, "x", {"ThoiDiemXuLy": {"a": 1}}]),
            ),
            (ok, 4, {}),
        ),
        "j04_scalar.json": (b"42", (failed, "no hoSo")),
        "j05_truncated.json": (portal(record("J7"))[:-20], (failed,)),
        "j06_empty.json": (b"", (failed,)),
        "j07_invalid_utf8.json": (b'[{"hoSo": {"MaHoSo": "\xff\xfe"}}]', (failed,)),
        "j08_extreme_values.json": (
            b'[{"hoSo": {"MaHoSo": 1e308, "MaTTHC": "1.001193", "DonViXuLy": "00070", '
            b'"KenhThucHien": NaN, "TrangThaiHoSo": 4, "NgayTiepNhan": -0.0}}]',
            (ok, 0, {"bad_date": 1}),  # -0.0 is no date (checked before the NaN channel)
        ),
        "j09_nul_in_id.json": (portal(record("J8\u0000")), (ok, 1, {})),
        # --- Parquet ---
        "p01_good.parquet": (
            parquet(
                {
                    "MaHoSo": ["P1"],
                    "MaTTHC": ["1.001193"],
                    "MaXa": [HK],
                    "KenhThucHien": ["2"],
                    "TrangThai": ["4"],
                    "NgayTiepNhan": ["09/10/2025 09:00"],
                }
            ),  # fmt: skip
            (ok, 1, {}),
        ),
        "p02_list_column.parquet": (
            parquet(
                {
                    "MaHoSo": ["P2"],
                    "MaTTHC": ["1.001193"],
                    "MaXa": [HK],
                    "KenhThucHien": ["2"],
                    "TrangThai": ["4"],
                    "NgayTiepNhan": ["09/10/2025 09:00"],
                    "Tags": [["a", "b"]],
                }
            ),  # fmt: skip
            (ok, 1, {}),
        ),
        "p03_nested_id.parquet": (parquet({"MaHoSo": [{"a": 1}], "MaXa": [HK]}), (failed,)),
        "p04_truncated.parquet": (parquet({"MaHoSo": ["P3"], "MaXa": [HK]})[:100], (failed,)),
        "p05_extreme_floats.parquet": (
            parquet(
                {
                    "MaHoSo": [1e308, float("nan"), -0.0],
                    "MaTTHC": ["1.001193"] * 3,
                    "MaXa": [HK] * 3,
                    "KenhThucHien": ["2"] * 3,
                    "TrangThai": ["4"] * 3,
                    "NgayTiepNhan": [1e308, float("nan"), -0.0],
                }
            ),  # fmt: skip
            (ok, 0, {"value_too_long": 1, "bad_date": 2}),  # 1e308 written out: 309 digits
        ),
        "p06_long_id.parquet": (
            parquet(
                {
                    "MaHoSo": ["P" * 100],
                    "MaTTHC": ["1.001193"],
                    "MaXa": [HK],
                    "KenhThucHien": ["2"],
                    "TrangThai": ["4"],
                    "NgayTiepNhan": ["09/10/2025 09:00"],
                }
            ),  # fmt: skip
            (ok, 0, {"value_too_long": 1}),
        ),
        "p07_garbage.parquet": (noise(3000), (failed,)),
        # --- land ---
        "g01_good.geojson": (
            feature_collection([feature(polygon(SQUARE), ma_xa=HK, so_to=1, so_thua=1)]),
            (ok, 1, {}),
        ),
        "g02_bad_geometries.geojson": (
            feature_collection(
                [
                    feature(polygon(SQUARE), ma_xa=HK, so_to=2, so_thua=1),
                    feature(polygon(bowtie), ma_xa=HK, so_to=2, so_thua=2),
                    feature(
                        {"type": "Point", "coordinates": [105.85, 21.03]},
                        ma_xa=HK,
                        so_to=2,
                        so_thua=3,
                    ),
                    feature({"type": "Polygon", "coordinates": []}, ma_xa=HK, so_to=2, so_thua=4),
                    feature(
                        polygon([[1e300, 1e300], [-1e300, 1e300], [-1e300, -1e300]]),
                        ma_xa=HK,
                        so_to=2,
                        so_thua=5,
                    ),
                    feature(
                        polygon([[105.85, 91], [105.86, 91], [105.86, 92]]),
                        ma_xa=HK,
                        so_to=2,
                        so_thua=6,
                    ),
                    feature(
                        polygon([[-180, -90], [180, -90], [180, 90], [-180, 90]]),
                        ma_xa=HK,
                        so_to=2,
                        so_thua=7,
                    ),
                    feature({"type": "Polygon", "coordinates": "x"}, ma_xa=HK, so_to=2, so_thua=8),
                    "not a feature",
                    feature(polygon(SQUARE), ma_xa=HK, so_to=2, so_thua="9" * 3000),
                ]
            ),  # fmt: skip
            # the whole-world polygon is out of range too; a 3,000-digit parcel number lands
            (
                ok,
                2,
                {
                    "invalid_geometry": 1,
                    "not_polygon": 1,
                    "bad_geometry": 3,
                    "geometry_out_of_range": 3,
                },
            ),  # fmt: skip
        ),
        "g03_no_features.geojson": (feature_collection([]), (failed, "no features")),
        "g04_not_a_collection.geojson": (b"[1, 2]", (failed, "FeatureCollection")),
        "g05_truncated.geojson": (
            feature_collection([feature(polygon(SQUARE), ma_xa=HK)])[:-30],
            (failed,),
        ),
        "g06_deep.geojson": (b'{"a":' * 5000 + b"1" + b"}" * 5000, (failed, "RecursionError")),
        "g07_wkt.csv": (
            (
                "ma_xa,so_to,so_thua,wkt\n"
                f'{HK},3,1,"POLYGON((105.85 21.03,105.851 21.03,105.851 21.031,105.85 21.03))"\n'
                f'{HK},3,2,"POLYGON((1e300 1e300,-1e300 1e300,0 0,1e300 1e300))"\n'
                f'{HK},3,3,"POLYGON((0 0,1 1,1 0,0 1,0 0))"\n'
                f"{HK},3,4,NOT WKT AT ALL\n"
                f"{HK},3,5,POINT(105.85 21.03)\n"
            ).encode(),
            (
                ok,
                1,
                {
                    "geometry_out_of_range": 1,
                    "invalid_geometry": 1,
                    "bad_geometry": 1,
                    "not_polygon": 1,
                },
            ),  # fmt: skip
        ),
        "g08_garbage_shapefile.zip": (
            zipped({"thua.shp": noise(2000), "thua.dbf": noise(500)}),
            (failed,),
        ),  # noqa: E501
        "g09_zip_bomb.zip": (zipped({"thua.shp": bytes(60 << 20)}), (failed, "IOC_MAX_ZIP_RATIO")),
        "g10_garbage.gpkg": (noise(4096), (failed,)),
        "g11_garbage.shp": (noise(1000), (failed,)),
        "g12_empty.geojson": (b"", (failed,)),
        "g13_text_named_zip.zip": (b"not a zip", (failed,)),
    }
    return files


# The child: every file imported in order, one JSON line per run (flushed, so that the lines
# before an abort are kept), then the whole corpus again through the inbox, then a backup.
CHILD = r"""
import json, shutil, sys
from pathlib import Path
from ioc import backup, store
from ioc.ingest import ingest_file, inbox
db, folder, box = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
con = store.connect(db)
for path in sorted(folder.iterdir()):
    r = ingest_file(con, path)
    print(json.dumps({"name": path.name, "status": r.status, "message": r.message,
                      "run_id": r.run_id, "inserted": r.rows_inserted}), flush=True)
for path in sorted(folder.iterdir()):
    shutil.copy(path, box / path.name)
inbox.SETTLE_SECONDS = 0
polled = inbox.poll_once(con.cursor, box)
print(json.dumps({"inbox": len(polled)}), flush=True)
backup.backup(con, db.parent / "backup.zip")
print(json.dumps({"backup": "ok"}), flush=True)
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> tuple[dict, dict, Path, Path, subprocess.CompletedProcess]:
    base = tmp_path_factory.mktemp("hostile")
    files = corpus()
    folder, box = base / "files", base / "inbox"
    folder.mkdir()
    box.mkdir()
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    db = base / "store.duckdb"
    make_ingest_store(db).close()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(base),
        "IOC_DB": str(db),
        "IOC_INBOX": str(box),
        "IOC_NOW": "2025-10-13T10:00:00",
        "IOC_DEMO": "0",
        "IOC_MERIDIAN": "105",
    }
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(db), str(folder), str(box)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    runs = {line["name"]: line for line in lines if "name" in line}
    return files, runs, db, box, child


def test_corpus_is_big_and_every_file_ran_without_a_crash(imported):
    files, runs, _, _, child = imported
    assert len(files) >= 60
    assert child.returncode == 0, child.stderr[-3000:]  # (the server log may hold tracebacks)
    assert sorted(runs) == sorted(files)  # every file has its run: none stopped the process


def test_each_file_fails_with_a_clear_line_or_lands_its_good_rows(imported):
    files, runs, db, _, _ = imported
    with store.connect(db, read_only=True) as con:
        recorded = dict(con.execute("select run_id, status from ingest_runs").fetchall())
        for name, (_, expected) in files.items():
            run = runs[name]
            assert recorded[run["run_id"]] == run["status"], name  # every run recorded
            message = run["message"] or ""
            assert "Traceback" not in message and "/tmp" not in message and "\n" not in message
            assert len(message) <= 500, name
            if expected is None:  # either way is right; it only must not crash
                continue
            assert run["status"] == expected[0], (name, run)
            if expected[0] == "failed":
                assert message, name
                for words in expected[1:]:
                    assert words in message, (name, message)
                continue
            _, inserted, reasons = expected
            assert run["inserted"] == inserted, (name, run)
            found = dict(
                con.execute(
                    "select reason_code, count(*) from quarantine where run_id = ? group by all",
                    [run["run_id"]],
                ).fetchall()
            )
            assert found == reasons, name


def test_values_as_stored(imported):
    _, _, db, _, _ = imported
    with store.connect(db, read_only=True) as con:
        ids = {r[0] for r in con.execute("select dossier_id from dossiers").fetchall()}
        # NUL bytes removed, not stored
        assert {"N1", "N2", "J8"} <= ids
        assert not any("\x00" in i for i in ids)
        # the one Windows-1258 line among UTF-8 ones read as what it says
        name = con.execute("select applicant_masked from dossiers where dossier_id = 'M50'")
        assert name.fetchone()[0] == "Trần T. B."
        assert (
            con.execute("select applicant_masked from dossiers where dossier_id = 'M0'").fetchone()[
                0
            ]
            == "Nguyễn V. A."
        )  # noqa: E501
        # no stored date before 2000 or after 2100, no id over 64 characters
        span = con.execute(
            "select min(least(received_at, due_at)), max(greatest(received_at, due_at)), "
            "max(length(dossier_id)) from dossiers"
        ).fetchone()
        assert span[0].year >= 2000 and span[1].year < 2100 and span[2] <= 64
        # the two-digit year read as 2026: a date in the future, quarantined as such
        reason = con.execute(
            "select reason_en from quarantine where raw_values like '%\"Y1\"%'"
        ).fetchone()[0]
        assert "01/12/2026" in reason
        # only the valid parcels of each land file landed, at the square's centroid
        parcels = con.execute(
            "select parcel_id, round(lon, 4), round(lat, 4) from parcels order by parcel_id"
        ).fetchall()
        # squares: centroid (105.8505, 21.0305); the WKT triangle: the mean of its corners,
        # ((105.85 + 2 * 105.851) / 3, (2 * 21.03 + 21.031) / 3)
        assert parcels == [
            (f"{HK}-1-1", 105.8505, 21.0305),
            (f"{HK}-2-1", 105.8505, 21.0305),
            (f"{HK}-2-{'9' * 3000}", 105.8505, 21.0305),
            (f"{HK}-3-1", 105.8507, 21.0303),
        ]


def test_inbox_drains_the_corpus_and_sets_failures_aside_with_reasons(imported):
    files, runs, _, box, child = imported
    assert '{"backup": "ok"}' in child.stdout  # the store still backs up after all of it
    assert not [p for p in box.iterdir() if p.is_file()]  # nothing left waiting
    failed = {p.name.split("-", 2)[-1] for p in (box / "failed").iterdir()}
    expected_failed = {n for n in files if runs[n]["status"] == "failed"}
    assert {n for n in failed if not n.endswith(".reason.txt")} == expected_failed
    for name in expected_failed:
        reason = next((box / "failed").glob(f"*-{name}.reason.txt")).read_text(encoding="utf-8")
        assert reason.strip() and "Traceback" not in reason and "/tmp" not in reason
    processed = {p.name.split("-", 2)[-1] for p in (box / "processed").iterdir()}
    assert processed == set(files) - expected_failed


def test_a_file_whose_import_stopped_the_app_is_set_aside(tmp_path, monkeypatch):
    """The watcher names the file it imports in the inbox's marker; a marker left by a process
    that died mid-import sends that file to failed/ at the next poll instead of killing the app
    again, and the next file is imported."""
    monkeypatch.setenv("IOC_NOW", "2025-10-13T10:00:00")
    from ioc.ingest import inbox

    box = tmp_path / "inbox"
    box.mkdir()
    (box / "killer.xlsx").write_bytes(b"whatever stopped the process")
    (box / inbox.IMPORTING).write_text("killer.xlsx", encoding="utf-8")
    (box / "next.csv").write_bytes(csv(row("K1"), row("K2")))
    monkeypatch.setattr(inbox, "SETTLE_SECONDS", 0)
    with make_ingest_store(tmp_path / "store.duckdb") as con:
        results = inbox.poll_once(con.cursor, box)
        assert [(r.source_file, r.status, r.rows_inserted) for r in results] == [
            ("next.csv", "ok", 2)
        ]
    assert sorted(p.name for p in box.iterdir()) == ["failed", "processed"]
    reason = next((box / "failed").glob("*-killer.xlsx.reason.txt")).read_text(encoding="utf-8")
    assert reason == "the import of this file stopped the app; it was not tried again\n"
