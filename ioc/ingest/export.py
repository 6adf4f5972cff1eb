"""An export file in a one-stop system's format (Vietnamese headers and labels, dd/mm/yyyy dates,
a title block in Excel), written from a store: what the demo data looks like when a commune exports
it, for trying all three ways in and for the ingest benchmark.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from ioc.ingest.aliases import (
    CHANNEL_LABELS,
    DATE_COLUMNS,
    FLAG_COLUMNS,
    LEVEL_LABELS,
    STATUS_LABELS,
)
from ioc.store import run_query

DATE_TEXT = "%d/%m/%Y %H:%M:%S"
TITLE = ("BÁO CÁO DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH", "Xuất từ Hệ thống thông tin giải quyết TTHC")
HEADERS = {
    "dossier_id": "Mã hồ sơ",
    "procedure_code": "Mã TTHC",
    "procedure_name": "Tên thủ tục",
    "commune_code": "Mã xã",
    "commune_name": "Xã/Phường",
    "channel": "Kênh thực hiện",
    "service_level": "Mức độ",
    "status": "Trạng thái",
    "submitted_at": "Ngày nộp hồ sơ",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Ngày hẹn trả",
    "finished_at": "Ngày kết thúc xử lý",
    "returned_at": "Ngày trả kết quả",
    "rejected_at": "Ngày từ chối",
    "paid_online": "Thanh toán trực tuyến",
    "has_fee": "Có phí",
    "digitized": "Số hóa",
    "vneid_verified": "Xác thực VNeID",
    "e_result_issued": "Có kết quả điện tử",
    "synced_to_portal": "Đồng bộ DVCQG",
    "applicant_masked": "Chủ hồ sơ",
    "map_sheet": "Số tờ",
    "parcel_no": "Số thửa",
}


def as_export(frame: pl.DataFrame) -> pl.DataFrame:
    """Store-shaped dossier rows -> the export's text columns and headers."""
    yes_no = {True: "Có", False: "Không"}
    return frame.select(
        pl.col("dossier_id"),
        pl.col("procedure_code"),
        pl.col("procedure_name"),
        pl.col("commune_code"),
        pl.col("commune_name"),
        pl.col("channel").replace_strict(CHANNEL_LABELS, default=None),
        pl.col("service_level").replace_strict(LEVEL_LABELS, default=None),
        pl.col("status").replace_strict(STATUS_LABELS, default=None),
        *(pl.col(c).dt.strftime(DATE_TEXT) for c in DATE_COLUMNS),
        pl.col("paid_online").replace_strict({True: "1", False: "0"}, default=None),
        *(pl.col(c).replace_strict(yes_no, default=None) for c in FLAG_COLUMNS),
        pl.col("applicant_masked"),
        pl.col("map_sheet"),
        pl.col("parcel_no"),
    ).rename(HEADERS)


def write_export(frame: pl.DataFrame, path: Path | str) -> Path:
    """Write export-format rows as .xlsx (with a title block), .csv (UTF-8 with BOM) or .parquet."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_bytes(b"\xef\xbb\xbf" + frame.write_csv().encode("utf-8"))
    elif suffix == ".parquet":
        frame.write_parquet(path)
    elif suffix == ".xlsx":
        import xlsxwriter

        with xlsxwriter.Workbook(str(path), {"constant_memory": False}) as book:
            sheet = book.add_worksheet("Danh sách hồ sơ")
            for row, line in enumerate(TITLE):
                sheet.write(row, 0, line)
            frame.write_excel(book, sheet, position=(len(TITLE) + 1, 0), autofit=False)
    else:
        raise ValueError(f"unsupported export type: {suffix}")
    return path


def export_dossiers(con: duckdb.DuckDBPyConnection, path: Path | str) -> Path:
    """Every dossier of the store as an export file (type from the suffix)."""
    return write_export(as_export(run_query(con, "ingest_export_dossiers")), path)
