"""A small store for the ingest tests: four Hanoi communes (two share a bare name), old wards (one
split between two new communes), two procedures. Expected values in the tests are worked out by
hand from these rows."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import duckdb

from ioc import store

HK, CN, XT, PT = "00070", "00073", "00091", "00092"
COMMUNES = [
    (HK, "Phường Hoàn Kiếm", "phường", "01", 21.03, 105.85),
    (CN, "Phường Cửa Nam", "phường", "01", 21.02, 105.84),
    (XT, "Xã Thanh Trì", "xã", "01", 20.94, 105.85),
    (PT, "Phường Thanh Trì", "phường", "01", 20.99, 105.86),
]
OLD_UNITS = [
    ("Thành phố Hà Nội", "Quận Hoàn Kiếm", "Phường Hàng Bạc", "00037", HK, False),
    ("Thành phố Hà Nội", "Quận Hoàn Kiếm", "Phường Tràng Tiền", "00040", HK, True),
    ("Thành phố Hà Nội", "Quận Hoàn Kiếm", "Phường Tràng Tiền", "00040", CN, True),
]
KHAI_SINH, CHUNG_THUC = "1.001193", "2.000815"
PROCEDURES = [
    (KHAI_SINH, "Đăng ký khai sinh", "Hộ tịch", "full", 0.0, False, False),
    (CHUNG_THUC, "Chứng thực bản sao", "Chứng thực", "partial", 2.0, True, False),
]


def fill_reference(con: duckdb.DuckDBPyConnection, communes=COMMUNES, procedures=PROCEDURES):
    con.executemany(
        "insert into communes (commune_code, commune_name, commune_type, province_code, lat, lon) "
        "values (?, ?, ?, ?, ?, ?)",
        communes,
    )
    con.executemany("insert into old_units values (?, ?, ?, ?, ?, ?)", OLD_UNITS)
    con.executemany(
        "insert into procedures (procedure_code, procedure_name, field_name, service_level, "
        "statutory_days, has_fee, is_land) values (?, ?, ?, ?, ?, ?, ?)",
        procedures,
    )


def make_ingest_store(path: Path) -> duckdb.DuckDBPyConnection:
    con = store.connect(path)
    fill_reference(con)
    return con


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 writes it: vowel letters precomposed, tone marks as combining bytes."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = ("dossiers", "dossier_steps", "procedures", "quarantine", "parcels", "communes")
    return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in tables}  # noqa: S608
