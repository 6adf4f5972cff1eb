"""Write the store of a release as a test fixture: `python tests/stores/make_release_store.py NAME`.

Run with the release's own code, it builds the hand-made KPI store (tests/fixtures.py), imports a
small export into it (so the import tables, the quarantine and the audit log hold rows), adds an
account, and writes tests/stores/NAME/: the store as DuckDB's EXPORT DATABASE writes it (schema.sql
with that release's table definitions, one Parquet file per table: small, and readable by later
DuckDB versions) and kpis.json, the KPIs that release computed from it. test_migrations.py imports
every such folder into a fresh file, opens it with today's code and checks the KPIs are identical.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent)]

EXPORT = """dossier_id;Mã xã;Mã TTHC;Kênh;Trạng thái;Ngày tiếp nhận;Ngày hẹn trả
R-1;90001;1.001193;Trực tuyến;Đang xử lý;08/10/2025 09:00;09/10/2025 17:00
R-2;90002;2.000815;Trực tiếp;Đã trả kết quả;08/10/2025 10:00;10/10/2025 17:00
R-3;99999;2.000815;Trực tiếp;Đang xử lý;08/10/2025 10:00;10/10/2025 17:00
"""


def main(name: str) -> None:
    os.environ.update(IOC_DEMO="0", IOC_NOW="2025-10-13T10:00:00", IOC_SALT="fixture-salt")
    from fixtures import PERIOD_FROM, PERIOD_TO, make_store

    from ioc import auth, ingest, kpi, store

    out = HERE / name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as work:
        path = make_store(Path(work) / "release.duckdb")
        export = Path(work) / "export.csv"
        export.write_text(EXPORT, encoding="utf-8")
        with store.connect(path) as con:
            ingest.ingest_file(con, export, username="fixture")
            auth.add_user(con, "quantri", "admin", "fixture-password", actor="fixture")
            period = kpi.Period.of(PERIOD_FROM, PERIOD_TO)
            figures = kpi.commune_ranking(con, period, province="01", median=True)
            con.execute("checkpoint")
            con.execute(f"export database '{out / 'export'}' (format parquet)")
    # load.sql names the files by absolute path; test_migrations.py loads them by table name.
    (out / "export" / "load.sql").unlink()
    rows = figures.select(kpi.OUTPUT_COLUMNS).to_dicts()
    (out / "kpis.json").write_text(
        json.dumps(rows, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )
    print(f"{out}: {len(rows)} communes' KPIs, {len(list((out / 'export').iterdir()))} files")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "release_0_1_0")
