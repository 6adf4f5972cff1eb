"""Embedded demo data: believable Hanoi dossiers and land parcels, deterministic from a seed.

`build` fills the reference tables (ioc.reference), then generates every dossier of Hanoi's 126
communes from 1/7/2025 up to `until`, and the land parcels the land dossiers point to. Everything is
drawn in numpy arrays and inserted through Arrow, so the full demo (about 1.5 million dossiers and
160,000 parcels) builds in well under a minute.

How the data is drawn:
- Each calendar day gets its own random stream (PCG64 seeded with the seed and the day), so a day's
  dossiers do not depend on how many days came before it: at the natural volume (no `dossiers`
  count to spread) the history is the same whatever `until` is, and only the state of the
  dossiers near `until` differs.
- Every dossier gets its whole life first (received, due, finished, returned; or rejected,
  withdrawn, stopped), then the life is cut at `until`: events after it are dropped and the status
  is the one in force at `until`. That keeps statuses and timestamps consistent by construction.
- Online and end-to-end shares follow a city trajectory (about 55% -> 85% online, 15% -> 40%
  end-to-end from July 2025 to late 2026); each commune has its own level and slope around it, and
  the city average is re-centred on the trajectory every day.
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import polars as pl
import shapely

from ioc import actions, config, rollups, store
from ioc.ingest.voice import FEEDBACK_SCHEMA
from ioc.workdays import HOLIDAYS, add_working_days

HANOI = "01"
SOURCE_FILE = "demo"
# Statuses of a dossier still with the centre (counted in build's summary).
OPEN_STATUSES = ("accepted", "processing", "supplement_requested", "payment_requested")
NATIONAL_DEFAULT_DOSSIERS = 2_000_000
HANOI_PARCELS = 160_000
NATIONAL_PARCELS_PER_COMMUNE = 100
# Rows generated and inserted at a time: bounds memory for the 10-million-row benchmark store.
CHUNK_ROWS = 600_000
# Days generated after `until`: online dossiers submitted before `until` but accepted later
# ('registered' at `until`) come from them.
LOOKAHEAD_DAYS = 4

# City volume on an ordinary working day, and its shape over the week and the year.
WORKDAY_VOLUME = 3_900
WEEKDAY_FACTOR = (1.08, 1.03, 1.0, 0.98, 0.93, 0.045, 0.025)
HOLIDAY_FACTOR = 0.003
# The first weeks of the two-level government carried a backlog of the old districts.
OPENING_BOOST, OPENING_DAYS = 0.16, 25.0
TET_DAYS = (date(2026, 2, 17), date(2027, 2, 6))

# Trajectories: value at 1/7/2025 and at the horizon (30/11/2026), concave in between.
TREND_START, TREND_END = date(2025, 7, 1), date(2026, 11, 30)
ONLINE_TREND = (0.54, 0.85)
END_TO_END_TREND = (0.14, 0.40)
DIGITIZED_TREND = (0.40, 0.80)

# Volume weights of the procedures carrying most of the demand (by national code), then by a
# keyword of the name for the ones whose code varies between catalogues; the rest share a
# small default. Land procedures share LAND_SHARE of each commune type's volume.
CODE_WEIGHTS = {
    "2.000815": 22.0,  # chứng thực bản sao từ bản chính
    "2.000884": 7.0,  # chứng thực chữ ký
    "2.001035": 2.5,  # chứng thực hợp đồng, giao dịch
    "2.000908": 1.0,  # cấp bản sao từ sổ gốc
    "1.004222": 9.0,  # đăng ký thường trú
    "1.004194": 8.0,  # đăng ký tạm trú
    "1.001193": 8.0,  # đăng ký khai sinh
    "1.004873": 4.0,  # xác nhận tình trạng hôn nhân
    "2.000986": 3.0,  # liên thông khai sinh - thường trú - thẻ BHYT trẻ dưới 6 tuổi
    "3.000722": 3.0,  # liên thông điện tử khai sinh (VNeID)
    "1.000894": 2.5,  # đăng ký kết hôn
    "3.000333": 2.5,  # phiếu lý lịch tư pháp
    "2.000635": 2.0,  # bản sao trích lục hộ tịch
    "1.000656": 1.5,  # đăng ký khai tử
    "1.001612": 1.5,  # thành lập hộ kinh doanh
    "1.004859": 1.0,  # thay đổi, cải chính hộ tịch
    "2.000720": 0.8,  # thay đổi nội dung đăng ký hộ kinh doanh
    "2.002622": 0.6,  # liên thông khai tử
    "2.002913": 0.6,  # liên thông điện tử khai tử
}
NAME_WEIGHTS = (
    ("tạm trú", 8.0),
    ("tình trạng hôn nhân", 4.0),
    ("lý lịch tư pháp", 2.5),
    ("liên thông", 1.5),
    ("hộ kinh doanh", 1.0),
    ("trích lục", 1.5),
)
DEFAULT_WEIGHT = 0.25
LAND_CODE_WEIGHTS = {
    "1.013831": 35.0,  # đăng ký biến động
    "1.011441": 28.0,  # đăng ký thế chấp
    "1.011443": 12.0,  # xóa đăng ký thế chấp
    "1.013978": 12.0,  # đăng ký lần đầu, cấp giấy chứng nhận
    "1.013949": 8.0,  # giao đất, cho thuê đất, chuyển mục đích
    "1.012783": 6.0,  # cấp đổi giấy chứng nhận
    "1.012784": 5.0,  # tách thửa, hợp thửa
    "1.012789": 4.0,  # cung cấp thông tin đất đai
}
LAND_DEFAULT_WEIGHT = 1.5
LAND_SHARE = {True: 0.05, False: 0.11}  # urban wards, rural communes

# Outcomes and delays.
P_REJECTED, P_WITHDRAWN, P_STOPPED = 0.02, 0.012, 0.004
P_LATE, P_STUCK = 0.09, 0.003
P_SUPPLEMENT, P_SUPPLEMENT_LAND = 0.06, 0.15
P_DUE_MISSING = 0.01
P_POSTAL = 0.013
P_NEVER_RETURNED = 0.10
# Hours the exports of a few communes run behind (drawn from the seed): two arrive late, one
# stopped two days ago. The data-quality page shows them as stale, the live monitor as silent.
LATE_EXPORTS = (2, 3, 50)

SURNAMES = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 4.0),
    ("Huỳnh", 1.0),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Võ", 1.0),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.8),
    ("Trịnh", 0.6),
    ("Đào", 0.6),
    ("Lương", 0.4),
)
MIDDLE_NAMES = (
    ("Văn", 30.0),
    ("Thị", 30.0),
    ("Đức", 6.0),
    ("Hữu", 4.0),
    ("Minh", 6.0),
    ("Ngọc", 5.0),
    ("Quang", 4.0),
    ("Thanh", 5.0),
    ("Xuân", 3.0),
    ("Hồng", 3.0),
    ("Kim", 2.0),
    ("Anh", 2.0),
)
GIVEN_NAMES = (
    "Anh", "Bình", "Chi", "Cường", "Dũng", "Dương", "Đạt", "Đức", "Giang", "Hà", "Hải", "Hạnh",
    "Hiếu", "Hoa", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Nga",
    "Ngọc", "Phương", "Quân", "Quang", "Sơn", "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Tùng",
    "Vân", "Việt", "Yến",
)  # fmt: skip

STREETS = (
    "phố Tràng Tiền", "phố Hàng Bài", "đường Trần Hưng Đạo", "phố Lý Thường Kiệt", "phố Huế",
    "đường Giải Phóng", "phố Kim Mã", "đường Láng", "phố Chùa Bộc", "đường Nguyễn Trãi",
    "phố Trần Duy Hưng", "đường Phạm Văn Đồng", "phố Hoàng Quốc Việt", "đường Âu Cơ",
    "phố Nguyễn Văn Cừ", "đường Ngọc Hồi", "phố Minh Khai", "đường Tam Trinh", "phố Bạch Mai",
    "đường Lê Văn Lương", "phố Tô Hiệu", "đường Quang Trung", "phố Lê Lợi", "phố Đội Cấn",
    "phố Văn Cao", "phố Thái Hà", "phố Nguyễn Du", "phố Hai Bà Trưng", "đường Cầu Giấy",
)  # fmt: skip
VILLAGES = (
    "thôn Đông", "thôn Đoài", "thôn Thượng", "thôn Hạ", "thôn Trung", "thôn Nam", "thôn Bắc",
    "thôn Tiền", "thôn Hậu", "thôn 1", "thôn 2", "thôn 3", "thôn 4", "thôn 5", "xóm Mới",
    "xóm Chùa", "xóm Đình", "thôn Yên Nội", "thôn Phú Mỹ", "thôn An Lạc",
)  # fmt: skip

# Land-use codes of Circular 08/2024 with their share, for whole clusters (special uses) and for
# single parcels.
URBAN_SPECIAL = (("DGD", 0.3), ("DYT", 0.12), ("TSC", 0.18), ("SKC", 0.16), ("DTL", 0.12),
                 ("CLN", 0.12))  # fmt: skip
URBAN_PARCEL = (("ODT", 0.82), ("TMD", 0.12), ("DGT", 0.06))
RURAL_CORE_SPECIAL = (("DGD", 0.25), ("DYT", 0.1), ("TSC", 0.15), ("NTD", 0.2), ("SKC", 0.15),
                      ("DTL", 0.15))  # fmt: skip
RURAL_CORE_PARCEL = (("ONT", 0.85), ("CLN", 0.08), ("TMD", 0.03), ("DGT", 0.04))
RURAL_FIELD = (("LUC", 0.45), ("LUK", 0.14), ("HNK", 0.12), ("CLN", 0.12), ("NTS", 0.09),
               ("DTL", 0.05), ("ONT", 0.03))  # fmt: skip

_U = {  # columns of the per-dossier uniform draws
    name: n
    for n, name in enumerate(
        "commune procedure time_bin time_jitter channel postal online_lag outcome finish_kind "
        "finish_offset finish_time return_lag return_time never_returned due_missing paid digitized vneid "
        "person parcel event_fraction interim".split()
    )
}
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0


@dataclass(frozen=True)
class _Procedures:
    code: np.ndarray
    level: np.ndarray  # 'full' | 'partial' | 'info'
    days: np.ndarray  # statutory working days (float)
    has_fee: np.ndarray
    is_land: np.ndarray
    cdf: dict[bool, np.ndarray]  # volume CDF by is_urban


@dataclass(frozen=True)
class _Communes:
    code: np.ndarray
    name: np.ndarray
    province_code: np.ndarray
    province_short: np.ndarray
    is_urban: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    geometry: np.ndarray  # shapely geometries (cell) or None


def build(
    con: duckdb.DuckDBPyConnection,
    until: datetime,
    seed: int = 2025,
    scale: str = "hanoi",
    *,
    start: datetime | None = None,
    dossiers: int | None = None,
    parcels: int | None = None,
    flaws: bool = True,
) -> dict:
    """Fill the store with the demo: reference tables, dossiers up to `until`, parcels.

    Deterministic for (seed, until, start, scale, dossiers, parcels). `scale='hanoi'` covers
    Hanoi's 126 communes at their real volume (or about `dossiers` in all when given);
    'national' spreads about `dossiers` (default 2 million) over all 3,321 communes, for
    benchmarks. `start` (default 1/7/2025) lets a test build a short range; `parcels` overrides
    the number of parcels (default 160,000 for Hanoi, 100 per commune nationally; 0 = none).
    `flaws` (Hanoi only): import the flawed export of the last working day (FLAWED_EXPORT).
    Replaces the dossiers, steps and parcels already in the store; refuses a store holding real
    data. Returns counts and timings (seconds).
    """
    from ioc.reference import load_reference

    if scale not in ("hanoi", "national"):
        raise ValueError(f"unknown scale: {scale!r}")
    if store.get_meta(con, "real_data") == "1":
        raise RuntimeError("the store holds imported data; build the demo in another store")
    until = until.replace(tzinfo=None, microsecond=0)
    start = (start or config.START_DATE).replace(tzinfo=None)
    started = _time.perf_counter()
    timings: dict[str, float] = {}

    load_reference(con)
    timings["seconds_reference"] = _time.perf_counter() - started

    communes = _load_communes(con, None if scale == "national" else HANOI)
    procedures = _load_procedures(con)
    if parcels is None:
        parcels = (
            HANOI_PARCELS if scale == "hanoi" else NATIONAL_PARCELS_PER_COMMUNE * len(communes.code)
        )
    if dossiers is None and scale == "national":
        dossiers = NATIONAL_DEFAULT_DOSSIERS

    with store.WRITE_LOCK, store.transaction(con):
        store.execute(con, "demo_clear")
        store.execute(con, "demo_clear_voice")
        store.execute(con, "demo_procedure_index", seed=seed)
        mark = _time.perf_counter()
        parcel_frame = _generate_parcels(communes, parcels, seed)
        _insert(con, "demo_insert_parcels", "demo_parcels", parcel_frame)
        timings["seconds_parcels"] = _time.perf_counter() - mark

        mark = _time.perf_counter()
        counts = {"dossiers": 0, "open": 0, "registered": 0}

        def insert(frame: pl.DataFrame) -> None:
            _insert_rows(con, frame)
            counts["dossiers"] += frame.height
            counts["open"] += int(frame["status"].is_in(OPEN_STATUSES).sum())
            counts["registered"] += int((frame["status"] == "registered").sum())

        _generate_dossiers(
            communes,
            procedures,
            _parcel_ref(communes, parcel_frame),
            seed,
            start,
            until,
            dossiers,
            insert,
        )
        counts["officers"] = _build_roster(con, communes, seed, start)
        steps = store.execute(con, "demo_insert_steps", until=until, source_file=SOURCE_FILE)
        counts["steps"] = int(steps.item(0, 0)) if steps.height else 0
        timings["seconds_dossiers"] = _time.perf_counter() - mark
        mark = _time.perf_counter()
        counts.update(_build_voice(con, communes, procedures, seed, start, start, until))
        timings["seconds_voice"] = _time.perf_counter() - mark

        store.set_meta(con, "demo", "1")
        store.set_meta(con, "demo_seed", str(seed))
        store.set_meta(con, "demo_until", until.isoformat())
        store.set_meta(con, "demo_scale", scale)
        store.set_meta(con, "demo_start", start.isoformat())
        store.set_meta(con, "demo_volume", str(dossiers or "natural"))
        _bump_data_version(con)
        mark = _time.perf_counter()
        rollups.refresh(con)
        timings["seconds_rollups"] = _time.perf_counter() - mark
    counts["actions"] = actions.seed_demo(con, until)  # the last meeting's actions (issue 16)
    if flaws and scale == "hanoi" and until.date() > start.date() + timedelta(days=3):
        _import_flawed_export(con, communes, procedures, until)
    timings["seconds_total"] = _time.perf_counter() - started
    return {
        "communes": len(communes.code),
        "procedures": len(procedures.code),
        "parcels": parcel_frame.height,
        **counts,
        **{key: round(value, 2) for key, value in timings.items()},
    }


# Who the live feed's runs are recorded as.
FEED_USER = "demo-feed"
# The parcels of the store's demo, generated once per process for the feed (they do not change).
_PARCEL_REFS: dict[tuple, tuple] = {}


# The demo's flawed export: one file of a one-stop system, imported through the real importer at
# the end of `build`, with the faults real exports have (docs/demo.md lists them). Its good rows
# land, its bad rows are quarantined with their reasons, and the mapping page has work to show.
FLAWED_EXPORT = "demo_mot-cua_loi.csv"
UNKNOWN_PROCEDURE = ("1.999998", "Thủ tục chưa có trong danh mục")
FLAWED_HEADER = (
    "Số hồ sơ;Mã thủ tục;Tên thủ tục;Đơn vị tiếp nhận;Kênh tiếp nhận;Trạng thái;"
    "Ngày tiếp nhận;Ngày hẹn trả;Ngày kết thúc xử lý;Số giấy tờ"
)


def _flawed_rows(first: str, second: str, known: str, day: date) -> list[str]:
    """The export's lines for a working day (docs/demo.md): 3 dossiers of a procedure not in the
    catalogue, one line given twice, one dossier entered again under another number, two whose
    dates contradict their status, and 6 bad lines (split old ward, no id, due before received,
    an unknown status code, an unknown ward, no received date)."""
    d = f"{day:%d/%m/%Y}"
    due = f"{add_working_days(datetime.combine(day, datetime.min.time()), 3):%d/%m/%Y} 17:00"
    code, name = UNKNOWN_PROCEDURE
    person = "001090012345"  # a made-up ID number (hashed on import like any other)
    return [
        f"LOI-0001;{code};{name};{first};Trực tuyến;Đang xử lý;{d} 09:00;{due};;",
        f"LOI-0002;{code};{name};{second};Trực tiếp;Đã trả kết quả;{d} 10:00;{due};{d} 15:00;",
        f"LOI-0003;{code};{name};{first};Trực tuyến;Chờ trả kết quả;{d} 11:00;{due};{d} 16:00;",
        f"LOI-0001;{code};{name};{first};Trực tuyến;Đang xử lý;{d} 09:00;{due};;",
        f"LOI-0009;{known};;{first};Trực tiếp;Đang xử lý;{d} 08:10;{due};;{person}",
        f"LOI-0010;{known};;{first};Trực tiếp;Đang xử lý;{d} 08:25;{due};;{person}",
        f"LOI-0011;{known};;{second};Trực tiếp;Đã trả kết quả;{d} 09:15;{due};;",
        f"LOI-0012;{known};;{second};Trực tuyến;Đang xử lý;{d} 09:45;{due};{d} 11:00;",
        f"LOI-0004;{known};;Phường Tràng Tiền;Trực tiếp;Đang xử lý;{d} 08:30;{due};;",
        f";{known};;{first};Trực tuyến;Đang xử lý;{d} 09:30;{due};;",
        f"LOI-0005;{known};;{second};Trực tuyến;Đang xử lý;{d} 14:00;{d} 08:00;;",
        f"LOI-0006;{known};;{first};Trực tuyến;TT07;{d} 14:30;{due};;",
        f"LOI-0007;{known};;Phường Không Tồn Tại;Trực tuyến;Đang xử lý;{d} 15:00;{due};;",
        f"LOI-0008;{known};;{second};Trực tiếp;Đang xử lý;;{due};;",
    ]


def _import_flawed_export(
    con: duckdb.DuckDBPyConnection, communes: _Communes, procedures: _Procedures, until: datetime
) -> None:
    """Import the flawed export of the last working day before `until` through ioc.ingest."""
    import tempfile
    from pathlib import Path

    from ioc.ingest import ingest_file
    from ioc.workdays import is_working_day

    day = until.date() - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    known = str(procedures.code[0])
    lines = [FLAWED_HEADER, *_flawed_rows(communes.name[0], communes.name[1], known, day)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FLAWED_EXPORT
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        ingest_file(con, path, demo=True, username=FEED_USER)


def can_advance(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store is a demo the live feed may move on: built by this release's `build`
    (a demo of an earlier release, without its volume recorded, was drawn by another generator:
    `ioc demo` rebuilds it) at its natural volume, never a store holding imports or marked for
    production."""
    return (
        store.get_meta(con, "demo") == "1"
        and store.get_meta(con, "real_data") != "1"
        and store.get_meta(con, "production") != "1"
        and store.get_meta(con, "demo_until") is not None
        and store.get_meta(con, "demo_volume") == "natural"
    )


def advance(con: duckdb.DuckDBPyConnection, until: datetime | None = None) -> dict | None:
    """Move the demo on to `until` (default: now): the dossiers that arrive and the statuses that
    change between the store's moment (meta demo_until) and `until`, exactly as a build straight
    to `until` would have them. Written like an import (ioc.ingest.load: upsert, rollups of the
    communes touched, an ingest run recorded as the demo feed, data version moved on) in one
    transaction. None when there is nothing to do or the store is not a demo the feed may touch.
    """
    if not can_advance(con):
        return None
    until = (until or config.now()).replace(tzinfo=None, microsecond=0)
    since = datetime.fromisoformat(store.get_meta(con, "demo_until") or "")
    if until <= since:
        return None
    from ioc.ingest import load

    started = _time.perf_counter()
    seed = int(store.get_meta(con, "demo_seed") or 2025)
    scale = store.get_meta(con, "demo_scale") or "hanoi"
    start = datetime.fromisoformat(
        store.get_meta(con, "demo_start") or config.START_DATE.isoformat()
    )
    start = start.replace(tzinfo=None)
    communes = _load_communes(con, None if scale == "national" else HANOI)
    procedures = _load_procedures(con)
    parcel_ref = _feed_parcels(con, communes, seed)
    window = store.execute(con, "demo_feed_window", source_file=SOURCE_FILE, since=since).item()
    first_day = max(min(window or since.date(), since.date()), start.date())
    frames: list[pl.DataFrame] = []
    _generate_dossiers(
        communes,
        procedures,
        parcel_ref,
        seed,
        start,
        until,
        None,
        frames.append,
        first_day=first_day,
        since=since,
    )
    changed = pl.concat(frames) if frames else pl.DataFrame()
    generated = _time.perf_counter() - started
    now = config.now().replace(tzinfo=None)
    result = load.RunResult(
        run_id=load.new_run_id(now),
        source_file=SOURCE_FILE,
        sha256=f"demo-feed {since.isoformat()} {until.isoformat()}",
        status="ok",
        started_at=now,
        rows_read=changed.height,
        username=FEED_USER,
    )
    with store.WRITE_LOCK, store.transaction(con):
        if changed.height:
            load.write_dossiers(con, result, _store_rows(con, changed), None)
        store.execute(con, "demo_clear_steps", source_file=SOURCE_FILE)
        store.execute(con, "demo_insert_steps", until=until, source_file=SOURCE_FILE)
        _build_voice(con, communes, procedures, seed, start, since, until)
        if result.touched_communes:
            rollups.refresh(con, result.touched_communes)
        result.finished_at = config.now().replace(tzinfo=None)
        load.record_run(con, result, audited=False)
        store.set_meta(con, "demo_until", until.isoformat())
        _bump_data_version(con)
    return {
        "since": since,
        "until": until,
        "first_day": first_day,
        "inserted": result.rows_inserted,
        "updated": result.rows_updated,
        "communes": len(result.touched_communes),
        "seconds_generate": round(generated, 3),
        "seconds_total": round(_time.perf_counter() - started, 3),
    }


def _feed_parcels(con: duckdb.DuckDBPyConnection, communes: _Communes, seed: int) -> tuple:
    """The parcel references of the store's demo (the parcels `build` generated), made once per
    process: land dossiers of new days point into them."""
    count = int(store.execute(con, "demo_parcel_count").item())
    key = (seed, count, tuple(communes.code))
    if key not in _PARCEL_REFS:
        _PARCEL_REFS[key] = _parcel_ref(communes, _generate_parcels(communes, count, seed))
    return _PARCEL_REFS[key]


def _bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    current = store.get_meta(con, "data_version", "0") or "0"
    store.set_meta(con, "data_version", str(int(current) + 1 if current.isdigit() else 1))


def _insert(
    con: duckdb.DuckDBPyConnection, query: str, name: str, frame: pl.DataFrame, **params
) -> None:
    """Run an insert query reading `frame` registered as `name` (through Arrow, no row loop)."""
    if frame.height == 0:
        return
    con.register(name, frame)
    try:
        store.execute(con, query, **params)
    finally:
        con.unregister(name)


def _store_rows(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> pl.DataFrame:
    """Generated dossiers as the rows an import writes (receipt numbers, applicant keys)."""
    with store.registered(con, "demo_dossiers", frame):
        return store.execute(con, "demo_dossier_rows")


def _insert_rows(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> None:
    """Insert generated dossiers the way an import inserts new ones."""
    if frame.height == 0:
        return
    with store.registered(con, "ingest_batch", _store_rows(con, frame).drop("procedure_name")):
        store.execute(con, "ingest_insert_dossiers", run_id=None, source_file=SOURCE_FILE)


def _load_communes(con: duckdb.DuckDBPyConnection, province: str | None) -> _Communes:
    rows = store.execute(con, "demo_communes", province=province)
    if rows.height == 0:
        raise RuntimeError("no communes in the store: load_reference filled nothing")
    geometry = np.array(
        [shapely.from_geojson(g) if g else None for g in rows["geometry"].to_list()], dtype=object
    )
    lat = rows["lat"].to_numpy().astype(float)
    lon = rows["lon"].to_numpy().astype(float)
    # Communes without a centroid borrow their cell's, else their province's mean.
    for i in np.flatnonzero(np.isnan(lat) | np.isnan(lon)):
        if geometry[i] is not None:
            point = shapely.centroid(geometry[i])
            lon[i], lat[i] = point.x, point.y
    prov = rows["province_code"].to_numpy()
    for i in np.flatnonzero(np.isnan(lat) | np.isnan(lon)):
        same = (prov == prov[i]) & ~np.isnan(lat)
        lat[i] = lat[same].mean() if same.any() else 16.0
        lon[i] = lon[same].mean() if same.any() else 106.0
    return _Communes(
        code=rows["commune_code"].to_numpy(),
        name=rows["commune_name"].to_numpy(),
        province_code=prov,
        province_short=rows["province_short"].to_numpy(),
        is_urban=rows["is_urban"].to_numpy(),
        lat=lat,
        lon=lon,
        geometry=geometry,
    )


def _load_procedures(con: duckdb.DuckDBPyConnection) -> _Procedures:
    rows = store.execute(con, "demo_procedures")
    if rows.height == 0:
        raise RuntimeError("no procedures in the store: load_reference filled nothing")
    code = rows["procedure_code"].to_numpy()
    names = [n.lower() for n in rows["procedure_name"].to_list()]
    is_land = rows["is_land"].to_numpy().astype(bool)
    weight = np.empty(len(code))
    for i, (c, name) in enumerate(zip(code, names, strict=True)):
        if is_land[i]:
            weight[i] = LAND_CODE_WEIGHTS.get(c, LAND_DEFAULT_WEIGHT)
        else:
            by_name = [w for key, w in NAME_WEIGHTS if key in name]
            weight[i] = CODE_WEIGHTS.get(c, by_name[0] if by_name else DEFAULT_WEIGHT)
    cdf = {}
    for urban in (True, False):
        share = LAND_SHARE[urban] if is_land.any() and (~is_land).any() else None
        w = weight.copy()
        if share is not None:
            w[is_land] *= share / w[is_land].sum()
            w[~is_land] *= (1 - share) / w[~is_land].sum()
        cdf[urban] = np.cumsum(w) / w.sum()
    return _Procedures(
        code=code,
        level=rows["service_level"].to_numpy(),
        days=rows["statutory_days"].to_numpy().astype(float),
        has_fee=rows["has_fee"].to_numpy().astype(bool),
        is_land=is_land,
        cdf=cdf,
    )


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64: a fast, well-spread hash of uint64 keys (vertex jitter, names, keys)."""
    with np.errstate(over="ignore"):  # wrapping multiplication is the point
        x = np.asarray(x).astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _unit(h: np.ndarray) -> np.ndarray:
    """Uniform [0, 1) from a 64-bit hash."""
    return (h >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _key(*parts: np.ndarray | int) -> np.ndarray:
    """Hash several integer keys into one uint64 key."""
    h = np.uint64(0)
    for part in parts:
        h = _mix64(np.asarray(part).astype(np.int64).astype(np.uint64) ^ h)
    return h


def _pick(u: np.ndarray, table: tuple[tuple[str, float], ...]) -> np.ndarray:
    """Index into `table` drawn by its weights from uniforms `u`."""
    w = np.array([weight for _, weight in table])
    return np.minimum(np.searchsorted(np.cumsum(w) / w.sum(), u, side="right"), len(table) - 1)


def _logit(p: np.ndarray | float) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _progress(days: np.ndarray) -> np.ndarray:
    """0 on TREND_START, 1 on TREND_END, flat outside."""
    span = (TREND_END - TREND_START).days
    return np.clip((days - np.datetime64(TREND_START)).astype(np.int64) / span, 0.0, 1.0)


def _shape(progress: np.ndarray) -> np.ndarray:
    """Concave 0 -> 1: the early months gain fastest."""
    return (1 - np.exp(-2.0 * progress)) / (1 - math.exp(-2.0))


def _trend(days: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    """From bounds[0] on TREND_START to bounds[1] on TREND_END along _shape."""
    return bounds[0] + (bounds[1] - bounds[0]) * _shape(_progress(days))


def _busday(day: np.ndarray, offset: np.ndarray) -> np.ndarray:
    """Working day `offset` working days after `day` (rolled forward first), like workdays.py."""
    return np.busday_offset(day, offset, roll="forward", holidays=_HOLIDAYS)


_HOLIDAYS = np.array(sorted(HOLIDAYS), dtype="datetime64[D]")
_SEC = np.timedelta64(1, "s")


def _generate_parcels(communes: _Communes, total: int, seed: int) -> pl.DataFrame:
    """`total` parcels on a jittered lattice inside each commune's cell, with map sheets and
    parcel numbers, land use fitting the commune type, areas and addresses."""
    n = len(communes.code)
    if total <= 0 or n == 0:
        return _empty_parcels()
    rng = np.random.Generator(np.random.PCG64([seed, 7, 1]))
    weight = np.where(communes.is_urban, 1.0, 1.1) * rng.lognormal(0.0, 0.3, n)
    per = np.floor(total * weight / weight.sum()).astype(int)
    per[np.argsort(-weight)[: total - per.sum()]] += 1
    angle = rng.uniform(-0.6, 0.6, n)
    parts = [
        _commune_parcels(communes, c, int(per[c]), float(angle[c]), seed)
        for c in range(n)
        if per[c] > 0
    ]
    frame = pl.concat(parts)
    return frame.select(
        "parcel_id",
        "commune_code",
        "map_sheet",
        "parcel_no",
        "area_m2",
        "land_use_code",
        "address",
        "lon",
        "lat",
        "geometry",
    )


def _empty_parcels() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "parcel_id": pl.Utf8,
            "commune_code": pl.Utf8,
            "map_sheet": pl.Utf8,
            "parcel_no": pl.Utf8,
            "area_m2": pl.Float64,
            "land_use_code": pl.Utf8,
            "address": pl.Utf8,
            "lon": pl.Float64,
            "lat": pl.Float64,
            "geometry": pl.Utf8,
        }
    )


def _commune_parcels(communes: _Communes, c: int, count: int, angle: float, seed: int):
    urban = bool(communes.is_urban[c])
    sx, sy = (11.0, 13.0) if urban else (22.0, 30.0)
    road_i, road_j, sheet_size = (8, 11, 24) if urban else (12, 9, 18)
    lat0, lon0 = communes.lat[c], communes.lon[c]
    mx = _M_PER_DEG_LON * math.cos(math.radians(lat0))
    cos_a, sin_a = math.cos(angle), math.sin(angle)

    half = int(math.ceil(math.sqrt(count * 3.2) / 2)) + 3
    i, j = np.meshgrid(np.arange(-half, half), np.arange(-half, half), indexing="ij")
    i, j = i.ravel(), j.ravel()
    keep = (i % road_i != 0) & (j % road_j != 0)  # lattice lines left empty read as streets
    i, j = i[keep], j[keep]
    x, y = (i + 0.5) * sx, (j + 0.5) * sy
    lon = lon0 + (x * cos_a - y * sin_a) / mx
    lat = lat0 + (x * sin_a + y * cos_a) / _M_PER_DEG_LAT
    noise = _unit(_key(seed, 11, c, i, j))
    score = np.hypot(x, y) * (1 + 0.35 * noise)
    cell = communes.geometry[c]
    if cell is not None:
        score = score + np.where(shapely.contains_xy(cell, lon, lat), 0.0, 1e9)
    chosen = np.sort(np.argpartition(score, count - 1)[:count]) if count < len(score) else None
    if chosen is not None:
        i, j, x, y = i[chosen], j[chosen], x[chosen], y[chosen]
    rank = np.argsort(np.argsort(np.hypot(x, y), kind="stable"), kind="stable") / max(count, 1)

    # Vertices are shared by neighbouring parcels (jitter hashed from the vertex), so parcels
    # tile without overlaps.
    corners = ((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))
    ring_lon, ring_lat = [], []
    for di, dj in corners:
        vi, vj = i + di, j + dj
        jx = (_unit(_key(seed, 12, c, vi, vj)) - 0.5) * 0.35 * sx
        jy = (_unit(_key(seed, 13, c, vi, vj)) - 0.5) * 0.35 * sy
        vx, vy = vi * sx + jx, vj * sy + jy
        ring_lon.append(np.round(lon0 + (vx * cos_a - vy * sin_a) / mx, 6))
        ring_lat.append(np.round(lat0 + (vx * sin_a + vy * cos_a) / _M_PER_DEG_LAT, 6))
    plon, plat = np.stack(ring_lon, axis=1), np.stack(ring_lat, axis=1)
    area = _ring_area_m2(plon, plat)

    block = _unit(_key(seed, 14, c, i // 3, j // 3))
    single = _unit(_key(seed, 15, c, i, j))
    if urban:
        special = block < 0.12
        use = np.where(
            special,
            _codes(URBAN_SPECIAL, block / 0.12),
            _codes(URBAN_PARCEL, single),
        )
        street = np.array(STREETS)[(c * 7 + i // road_i) % len(STREETS)]
        number = np.abs(j) * 2 + (i % 2) + 1
    else:
        core = rank < 0.3
        special = core & (block < 0.1)
        field = _codes(RURAL_FIELD, _unit(_key(seed, 16, c, i // 4, j // 4)))
        use = np.where(
            core,
            np.where(
                special, _codes(RURAL_CORE_SPECIAL, block / 0.1), _codes(RURAL_CORE_PARCEL, single)
            ),
            field,
        )
        sector = ((np.arctan2(y, x) + math.pi) / (2 * math.pi) * 6).astype(int) % 6
        street = np.array(VILLAGES)[(c * 5 + sector) % len(VILLAGES)]
        number = np.abs(i) + np.abs(j) * 3 + 1

    # Map sheets tile the lattice; parcels are numbered row by row within their sheet.
    si, sj = i // sheet_size, j // sheet_size
    sheet = np.unique((si - si.min()) * 100_000 + (sj - sj.min()), return_inverse=True)[1] + 1
    order = np.lexsort((j, i, sheet))
    starts = np.searchsorted(sheet[order], sheet[order])
    number_in_sheet = np.empty(len(i), dtype=np.int64)
    number_in_sheet[order] = np.arange(len(i)) - starts + 1
    place = f"{communes.name[c]}, {communes.province_short[c]}"
    code = str(communes.code[c])
    frame = pl.DataFrame(
        {
            "map_sheet": sheet,
            "parcel_no": number_in_sheet,
            "area_m2": np.round(area, 1),
            "land_use_code": use,
            "street": street,
            "number": number,
            "lon": np.round(plon[:, :4].mean(axis=1), 6),
            "lat": np.round(plat[:, :4].mean(axis=1), 6),
            **{f"x{k}": plon[:, k] for k in range(5)},
            **{f"y{k}": plat[:, k] for k in range(5)},
        }
    )
    point = [
        pl.concat_str(pl.lit("["), pl.col(f"x{k}"), pl.lit(","), pl.col(f"y{k}"), pl.lit("]"))
        for k in range(5)
    ]
    return frame.with_columns(
        pl.col("map_sheet").cast(pl.Utf8),
        pl.col("parcel_no").cast(pl.Utf8),
        pl.lit(code).alias("commune_code"),
        pl.concat_str(pl.col("number"), pl.lit(" "), "street", pl.lit(", " + place)).alias(
            "address"
        ),
        pl.concat_str(
            pl.lit('{"type":"Polygon","coordinates":[['),
            pl.concat_str(point, separator=","),
            pl.lit("]]}"),
        ).alias("geometry"),
    ).with_columns(
        pl.concat_str("commune_code", pl.lit("-"), "map_sheet", pl.lit("-"), "parcel_no").alias(
            "parcel_id"
        )
    )


def _codes(table: tuple[tuple[str, float], ...], u: np.ndarray) -> np.ndarray:
    return np.array([code for code, _ in table])[_pick(u, table)]


def _ring_area_m2(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Shoelace area of closed rings (rows), in m², scaling degrees at each ring's latitude."""
    mx = _M_PER_DEG_LON * np.cos(np.radians(lat.mean(axis=1, keepdims=True)))
    x, y = (lon - lon[:, :1]) * mx, (lat - lat[:, :1]) * _M_PER_DEG_LAT
    return 0.5 * np.abs((x[:, :-1] * y[:, 1:] - x[:, 1:] * y[:, :-1]).sum(axis=1))


@dataclass(frozen=True)
class _World:
    """Everything about the communes and the calendar that does not change from day to day."""

    days: np.ndarray  # datetime64[D], the generated calendar
    volume: np.ndarray  # expected city volume per day
    commune_cdf: np.ndarray
    p_online_full: np.ndarray  # (commune, day): online probability, full-level procedures
    p_online_partial: np.ndarray  # (commune, day): the same for the other procedures
    progress: np.ndarray  # per day: 0 at TREND_START, 1 at TREND_END
    late: np.ndarray  # per commune: late probability
    digitized_shift: np.ndarray  # per commune
    pool: np.ndarray  # per commune: number of distinct applicants
    lag: np.ndarray  # per commune: seconds its exports run behind (LATE_EXPORTS), mostly 0


def _daily_volume(days: np.ndarray) -> np.ndarray:
    """Expected city-wide dossiers per day, in units of an ordinary working day."""
    weekday = (days.astype(np.int64) + 3) % 7  # 1/1/1970 was a Thursday
    factor = np.array(WEEKDAY_FACTOR)[weekday]
    factor = np.where(np.isin(days, _HOLIDAYS), HOLIDAY_FACTOR, factor)
    since = (days - np.datetime64(config.START_DATE.date())).astype(np.int64)
    factor = factor * (1 + OPENING_BOOST * np.exp(-np.clip(since, 0, None) / OPENING_DAYS))
    for tet in TET_DAYS:
        to_tet = (np.datetime64(tet) - days).astype(np.int64)
        factor = factor * np.where((to_tet > 0) & (to_tet <= 21), 1.18, 1.0)
        factor = factor * np.where((to_tet < -9) & (to_tet >= -19), 0.9, 1.0)
    return factor


def _world(
    communes: _Communes,
    procedures: _Procedures,
    seed: int,
    days: np.ndarray,
    in_range: np.ndarray,
    total: int | None,
) -> _World:
    n = len(communes.code)
    rng = np.random.Generator(np.random.PCG64([seed, 3, n]))
    size = rng.lognormal(0.0, 0.4, n) * np.where(communes.is_urban, 1.7, 1.0)
    share = size / size.sum()

    volume = _daily_volume(days)
    if total is None:
        volume = volume * WORKDAY_VOLUME * n / 126
    else:
        volume = volume * total / max(volume[in_range].sum(), 1e-9)

    # Each commune's online level (logit shift) and its slope over the 17 months; a few improve
    # fast from a low start, a few slip from a good one.
    level = np.where(communes.is_urban, 0.45, -0.25) + rng.normal(0.0, 0.55, n)
    slope = rng.normal(0.0, 0.35, n)
    kind = rng.random(n)
    fast, slipping = kind < 0.05, kind > 0.95
    level = level - 0.6 * fast + 0.5 * slipping
    slope = slope + 1.8 * fast - 2.8 * slipping
    progress = _progress(days)
    shift = level[:, None] + slope[:, None] * progress[None, :]

    # City targets per procedure class: end-to-end needs an online dossier of a full-level
    # procedure, so the full-level share of the volume bounds it.
    full_share = _full_share(procedures, communes, share)
    online = _trend(days, ONLINE_TREND)
    e2e = np.minimum(_trend(days, END_TO_END_TREND), 0.97 * full_share)
    target_full = e2e / max(full_share, 1e-9)
    target_partial = np.clip((online - e2e) / max(1 - full_share, 1e-9), 0.02, 0.98)

    return _World(
        days=days,
        volume=volume,
        commune_cdf=np.cumsum(share) / share.sum(),
        p_online_full=_centred(_logit(target_full)[None, :] + shift, share, target_full),
        p_online_partial=_centred(_logit(target_partial)[None, :] + shift, share, target_partial),
        progress=progress,
        late=np.clip(P_LATE * rng.lognormal(0.0, 0.45, n), P_STUCK * 2, 0.25),
        digitized_shift=rng.normal(0.0, 0.06, n),
        # Applicants per commune: about a year of its dossiers (fixed, so history keeps its people
        # whatever `until` is).
        pool=np.maximum(300, share * (total or WORKDAY_VOLUME * 250 * n / 126) * 0.75).astype(
            np.int64
        ),
        lag=_export_lags(n, seed),
    )


def _export_lags(n: int, seed: int) -> np.ndarray:
    """Seconds each commune's exports run behind: LATE_EXPORTS communes, drawn from the seed, are
    late by the hours given (the last one's export stopped a day ago); the others are on time."""
    lag = np.zeros(n, dtype=np.int64)
    if n > len(LATE_EXPORTS):
        late = np.random.Generator(np.random.PCG64([seed, 7])).choice(
            n, len(LATE_EXPORTS), replace=False
        )
        lag[late] = np.array(LATE_EXPORTS) * 3600
    return lag


def _full_share(procedures: _Procedures, communes: _Communes, share: np.ndarray) -> float:
    """Share of the city's volume going to full-level (end-to-end capable) procedures."""
    full = procedures.level == "full"
    urban_weight = share[communes.is_urban].sum()
    result = 0.0
    for urban, weight in ((True, urban_weight), (False, 1 - urban_weight)):
        p = np.diff(procedures.cdf[urban], prepend=0.0)
        result += weight * p[full].sum()
    return float(result)


def _centred(logits: np.ndarray, weight: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Probabilities whose volume-weighted mean over communes equals `target` on every day
    (Newton steps on a common logit shift per day)."""
    delta = np.zeros(logits.shape[1])
    for _ in range(8):
        p = _sigmoid(logits + delta[None, :])
        gap = weight @ p - target
        slope = weight @ (p * (1 - p))
        delta -= gap / np.maximum(slope, 1e-6)
    return _sigmoid(logits + delta[None, :]).astype(np.float32)


def _time_profile(weekend: bool) -> np.ndarray:
    """CDF over the 288 five-minute bins of a day: the one-stop desks' morning (8-11h) and
    afternoon (13:30-16:30) peaks; weekend desks open on mornings only."""
    minute = np.arange(288) * 5 + 2.5
    morning = np.exp(-0.5 * ((minute - 9.4 * 60) / 55) ** 2) * ((minute > 450) & (minute < 705))
    afternoon = np.exp(-0.5 * ((minute - 14.9 * 60) / 60) ** 2) * ((minute > 800) & (minute < 1050))
    lunch = 0.05 * ((minute >= 690) & (minute <= 810))
    density = morning + lunch + (0 if weekend else 0.85 * afternoon)
    return np.cumsum(density) / density.sum()


_PROFILE = {False: _time_profile(False), True: _time_profile(True)}


def _masked_names() -> pl.Series:
    """Every 'Surname M. G.' combination, indexed surname-major, then middle name, then given name."""
    names = [
        f"{surname} {middle[0]}. {given[0]}."
        for surname, _ in SURNAMES
        for middle, _ in MIDDLE_NAMES
        for given in GIVEN_NAMES
    ]
    return pl.Series("applicant_masked", names)


_MASKED_NAMES = _masked_names()


def _parcel_ref(communes: _Communes, parcels: pl.DataFrame) -> tuple:
    """Where each commune's parcels start in `parcels`, how many it has, their sheets and
    numbers (parcels were generated commune by commune in code order, so each commune's are
    contiguous)."""
    parcel_count = (
        parcels.group_by("commune_code").len().to_dict(as_series=False) if parcels.height else {}
    )
    by_code = dict(
        zip(parcel_count.get("commune_code", []), parcel_count.get("len", []), strict=True)
    )
    count = np.array([by_code.get(code, 0) for code in communes.code], dtype=np.int64)
    return (
        np.concatenate([[0], np.cumsum(count)[:-1]]),
        count,
        parcels["map_sheet"].to_numpy() if parcels.height else np.array([], dtype=object),
        parcels["parcel_no"].to_numpy() if parcels.height else np.array([], dtype=object),
    )


def _day_draws(world: _World, seed: int, d: int) -> np.ndarray:
    """The uniform draws of every dossier of day `d` of the world's calendar, from that day's own
    stream: the same whichever days are generated around it."""
    day = world.days[d]
    rng = np.random.Generator(np.random.PCG64([seed, 1, int(day.astype(np.int64))]))
    expected = world.volume[d] * rng.lognormal(0.0, 0.05)
    return rng.random((int(rng.poisson(expected)), len(_U)))


def _receipts_before(
    communes: _Communes, procedures: _Procedures, seed: int, start: datetime, first_day: date
) -> np.ndarray:
    """Per commune, the dossiers generated on the days from `start` up to `first_day` (excluded):
    where the receipt numbers of `first_day` go on from. Counted once per process for a given
    first day (the live feed asks every minute with the same one)."""
    key = (seed, start, first_day, tuple(communes.code))
    if key not in _RECEIPTS_BEFORE:
        _RECEIPTS_BEFORE.clear()  # one window at a time: the feed's first day only moves forward
        _RECEIPTS_BEFORE[key] = _count_receipts(communes, procedures, seed, start, first_day)
    return _RECEIPTS_BEFORE[key]


_RECEIPTS_BEFORE: dict[tuple, np.ndarray] = {}


def _count_receipts(
    communes: _Communes, procedures: _Procedures, seed: int, start: datetime, first_day: date
) -> np.ndarray:
    days = np.arange(np.datetime64(start.date(), "D"), np.datetime64(first_day, "D"))
    running = np.zeros(len(communes.code), dtype=np.int64)
    if len(days) == 0:
        return running
    world = _world(communes, procedures, seed, days, np.ones(len(days), bool), None)
    for d in range(len(days)):
        u = _day_draws(world, seed, d)[:, _U["commune"]]
        c = np.minimum(np.searchsorted(world.commune_cdf, u, side="right"), len(running) - 1)
        running += np.bincount(c, minlength=len(running))
    return running


def _generate_dossiers(
    communes: _Communes,
    procedures: _Procedures,
    parcel_ref: tuple,
    seed: int,
    start: datetime,
    until: datetime,
    total: int | None,
    sink: Callable[[pl.DataFrame], None],
    *,
    first_day: date | None = None,
    since: datetime | None = None,
) -> None:
    """Generate the dossiers of the days from `first_day` (default: the start) to a few days past
    `until`, cut at `until`, and hand them to `sink` a chunk at a time. With `since`, only those
    whose record changed after `since` (see _dossier_frame)."""
    last_day = np.datetime64(until.date(), "D")
    first = first_day or start.date()
    days = np.arange(np.datetime64(first, "D"), last_day + LOOKAHEAD_DAYS + 1)
    world = _world(communes, procedures, seed, days, days <= last_day, total)
    running = (
        _receipts_before(communes, procedures, seed, start, first)
        if first > start.date()
        else np.zeros(len(communes.code), dtype=np.int64)
    )
    running = running.copy()  # counted on in place below; the cached counts stay as they are
    chunk_days: list[np.ndarray] = []
    chunk_draws: list[np.ndarray] = []
    rows = 0
    for d in range(len(days)):
        draws = _day_draws(world, seed, d)
        chunk_days.append(np.full(len(draws), d, dtype=np.int32))
        chunk_draws.append(draws)
        rows += len(draws)
        if rows >= CHUNK_ROWS or d == len(days) - 1:
            sink(
                _dossier_frame(
                    np.concatenate(chunk_days),
                    np.concatenate(chunk_draws),
                    world,
                    communes,
                    procedures,
                    parcel_ref,
                    running,
                    seed,
                    start,
                    until,
                    since,
                )
            )
            chunk_days, chunk_draws, rows = [], [], 0


def _dossier_frame(
    day_index: np.ndarray,
    draws: np.ndarray,
    world: _World,
    communes: _Communes,
    procedures: _Procedures,
    parcel_ref: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    running: np.ndarray,
    seed: int,
    start: datetime,
    until: datetime,
    since: datetime | None = None,
) -> pl.DataFrame:
    """One chunk of dossiers: their whole lives, cut at `until`. Updates `running` (the per-commune
    receipt counters). With `since`, only the dossiers whose record at `until` differs from the
    one at `since` (new ones included): what happened in between."""

    def u(name: str) -> np.ndarray:
        return draws[:, _U[name]]

    n_communes = len(communes.code)
    c = np.minimum(np.searchsorted(world.commune_cdf, u("commune"), side="right"), n_communes - 1)
    urban = communes.is_urban[c]
    last = len(procedures.code) - 1
    p = np.where(
        urban,
        np.searchsorted(procedures.cdf[True], u("procedure"), side="right"),
        np.searchsorted(procedures.cdf[False], u("procedure"), side="right"),
    )
    p = np.minimum(p, last)
    day = world.days[day_index]
    progress = world.progress[day_index]
    weekday = (day.astype(np.int64) + 3) % 7
    quiet = (weekday >= 5) | np.isin(day, _HOLIDAYS)
    time_bin = np.where(
        quiet,
        np.searchsorted(_PROFILE[True], u("time_bin"), side="right"),
        np.searchsorted(_PROFILE[False], u("time_bin"), side="right"),
    )
    midnight = day.astype("datetime64[s]")
    received = (
        midnight + ((np.minimum(time_bin, 287) + u("time_jitter")) * 300).astype(np.int64) * _SEC
    )

    # Channel and service level.
    level = procedures.level[p]
    full = level == "full"
    p_online = np.where(
        full, world.p_online_full[c, day_index], world.p_online_partial[c, day_index]
    )
    online = u("channel") < p_online
    # Postal stays a steady sliver of all dossiers while walk-ins shrink.
    postal = ~online & (u("postal") < np.minimum(P_POSTAL / np.maximum(1 - p_online, 0.05), 0.5))
    lag_u = u("online_lag")
    # Most online dossiers are accepted within the hour; a quarter wait overnight.
    lag_hours = np.where(
        lag_u < 0.75,
        -np.log1p(-np.minimum(lag_u / 0.75, 0.999)) * 0.75,
        (lag_u - 0.75) / 0.25 * 16.0,
    )
    submitted = np.where(online, received - (lag_hours * 3600).astype(np.int64) * _SEC, received)
    submitted = np.maximum(submitted, np.datetime64(start, "s"))

    # Statutory due date: received day (rolled to a working day) + working days, 17:00.
    days_whole = np.ceil(procedures.days[p]).astype(np.int64)
    due = _due_dates(day, days_whole) + np.timedelta64(17 * 3600, "s")
    due_missing = u("due_missing") < P_DUE_MISSING

    # Outcome and the would-be finish.
    is_land = procedures.is_land[p]
    outcome = u("outcome")
    rejected = outcome < P_REJECTED
    withdrawn = (outcome >= P_REJECTED) & (outcome < P_REJECTED + P_WITHDRAWN)
    stopped = (outcome >= P_REJECTED + P_WITHDRAWN) & (
        outcome < P_REJECTED + P_WITHDRAWN + P_STOPPED
    )
    kind = u("finish_kind")
    p_late = world.late[c] * np.where(is_land, 1.8, 1.0) * np.where(days_whole == 0, 0.6, 1.0)
    stuck = kind < P_STUCK
    late = kind < np.maximum(p_late, P_STUCK)
    v = u("finish_offset")
    offset = np.where(
        stuck,
        days_whole + 10 + np.floor(v * 50),
        np.where(
            late,
            days_whole + 1 + np.floor(-np.log1p(-v) / 0.6),
            np.minimum(np.floor((days_whole + 1) * v**1.6), days_whole),
        ),
    ).astype(np.int64)
    finish_day = _busday(day, offset)
    same_day = finish_day == day
    office_end = midnight + np.timedelta64(17 * 3600 + 900, "s")
    rest = np.maximum((office_end - received) / _SEC, 900.0)
    finish_time = u("finish_time")
    finished = np.where(
        same_day,
        received + (120 + finish_time * rest).astype(np.int64) * _SEC,
        finish_day.astype("datetime64[s]")
        + (7.75 * 3600 + finish_time * 9.5 * 3600).astype(np.int64) * _SEC,
    )
    rl = u("return_lag")
    return_days = np.select([rl < 0.6, rl < 0.85, rl < 0.95], [0, 1, 2], 3)
    finished_day = finished.astype("datetime64[D]")
    return_day = _busday(finished_day, return_days)
    same_return = return_day == finished_day
    fraction = u("return_time")
    returned = np.where(
        same_return,
        finished
        + (300 + fraction * np.maximum((office_end - finished) / _SEC, 600.0)).astype(np.int64)
        * _SEC,
        return_day.astype("datetime64[s]")
        + (8 * 3600 + fraction * 9 * 3600).astype(np.int64) * _SEC,
    )
    never_returned = u("never_returned") < P_NEVER_RETURNED
    event = received + ((finished - received) / _SEC * u("event_fraction")).astype(np.int64) * _SEC

    # Cut every life at a moment: what the store holds about each dossier at `until` (and, for the
    # live feed, at `since`, to keep only the dossiers whose record changed in between).
    start_s = np.datetime64(start, "s")
    elapsed_total = np.maximum((finished - received) / _SEC, 1.0)
    interim = u("interim")
    supplement = (days_whole >= 1) & (interim < np.where(is_land, P_SUPPLEMENT_LAND, P_SUPPLEMENT))
    fee = procedures.has_fee[p]
    paying = is_land & fee & (u("event_fraction") < 0.6) & ~stuck

    lag = world.lag[c] * _SEC

    def cut_at(moment: datetime) -> dict[str, np.ndarray]:
        cut = np.datetime64(moment, "s") - lag  # a late commune's export shows an earlier moment
        keep = (submitted <= cut) & (received >= start_s)
        is_registered = received > cut
        done = ~is_registered
        status = np.full(len(c), "processing", dtype=object)
        in_progress = done & ~rejected
        ended_w = in_progress & withdrawn & (event <= cut)
        ended_s = in_progress & stopped & (event <= cut)
        is_finished = in_progress & ~withdrawn & ~stopped & ~rejected & (finished <= cut)
        is_returned = is_finished & ~never_returned & (returned <= cut)
        still_open = in_progress & ~ended_w & ~ended_s & ~is_finished
        elapsed = (cut - received) / _SEC
        share_done = elapsed / elapsed_total
        status[still_open & (elapsed < 1800)] = "accepted"
        status[still_open & supplement & (share_done > 0.3) & ((share_done < 0.75) | stuck)] = (
            "supplement_requested"
        )
        status[still_open & paying & (share_done > 0.8)] = "payment_requested"
        status[ended_w] = "withdrawn"
        status[ended_s] = "stopped"
        status[is_finished] = "finished"
        status[is_returned] = "returned"
        status[done & rejected] = "rejected"
        status[is_registered] = "registered"
        return {
            "keep": keep,
            "status": status,
            "received_at": ~is_registered,
            "due_at": ~is_registered & ~rejected & ~due_missing,
            "finished_at": is_finished,
            "returned_at": is_returned,
            "rejected_at": done & rejected,
        }

    now = cut_at(until)
    keep = now["keep"]
    if since is not None:
        before = cut_at(since)
        changed = ~before["keep"] | (before["status"] != now["status"])
        for column in ("received_at", "due_at", "finished_at", "returned_at", "rejected_at"):
            changed |= before[column] != now[column]
        keep = keep & changed

    # Fees, digitisation, identity.
    curve = _shape(progress)
    paid = u("paid") < np.where(online, 0.5 + 0.35 * curve, 0.05 + 0.15 * curve)
    digitized = (
        u("digitized")
        < (DIGITIZED_TREND[0] + (DIGITIZED_TREND[1] - DIGITIZED_TREND[0]) * progress)
        + world.digitized_shift[c]
    )
    vneid = online & (u("vneid") < 0.8 + 0.15 * curve)
    # The national index's fields (docs/index-766.md): an electronic result for most finished
    # online dossiers and some direct ones, rising over time and differing by commune; nearly every
    # dossier synchronised to the national portal, a few communes lagging.
    # Their draws are hashed from the dossier's own draws, not new columns of them: a new column
    # would move every other draw, and with it the whole demo.
    own = (u("interim") * 2.0**52).astype(np.int64)
    e_result = now["finished_at"] & (
        _unit(_key(own, 31))
        < np.where(online, 0.55 + 0.35 * curve, 0.15 + 0.25 * curve) + world.digitized_shift[c]
    )
    synced = _unit(_key(own, 32)) < (
        0.97 - 0.08 * (world.digitized_shift[c] < -0.05) - 0.04 * (1 - curve)
    )
    person = np.floor(u("person") * world.pool[c]).astype(np.int64)
    person_key = _key(seed, 21, c, person)
    name_index = (
        _pick(_unit(_key(person_key, 1)), SURNAMES) * len(MIDDLE_NAMES)
        + _pick(_unit(_key(person_key, 2)), MIDDLE_NAMES)
    ) * len(GIVEN_NAMES) + np.floor(_unit(_key(person_key, 3)) * len(GIVEN_NAMES)).astype(np.int64)

    # Land dossiers point to a parcel of their commune.
    first, count, sheets, numbers = parcel_ref
    linked = is_land & (count[c] > 0)
    parcel = first[c] + np.floor(u("parcel") * count[c]).astype(np.int64)
    parcel = np.where(linked, parcel, 0)

    # Receipt numbers run per commune in order of reception.
    order = np.lexsort((received, c))
    sorted_c = c[order]
    position = np.arange(len(c)) - np.searchsorted(sorted_c, sorted_c)
    seq = np.empty(len(c), dtype=np.int64)
    seq[order] = running[sorted_c] + position + 1
    running += np.bincount(c, minlength=len(running))

    def at(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
        return np.where(valid, values, np.datetime64("NaT"))[keep].astype("datetime64[us]")

    has_parcel = linked[keep]
    kept_parcel = parcel[keep]
    frame = pl.DataFrame(
        {
            "seq": seq[keep],
            "province_code": communes.province_code[c][keep],
            "commune_code": communes.code[c][keep],
            "procedure_code": procedures.code[p][keep],
            "channel": np.where(online, "online", np.where(postal, "postal", "direct"))[keep],
            "service_level": level[keep],
            "submitted_at": submitted[keep].astype("datetime64[us]"),
            "received_at": at(received, now["received_at"]),
            "due_at": at(due, now["due_at"]),
            "finished_at": at(finished, now["finished_at"]),
            "returned_at": at(returned, now["returned_at"]),
            "rejected_at": at(received, now["rejected_at"]),
            "status": now["status"][keep].astype(str),
            "has_fee": fee[keep],
            "paid_online": paid[keep],
            "digitized": digitized[keep],
            "vneid_verified": vneid[keep],
            "e_result_issued": e_result[keep],
            "synced_to_portal": synced[keep],
            "person_key": person_key[keep],
        }
    )
    parcel_columns = [
        pl.Series(name, values[kept_parcel] if len(values) else [None] * frame.height, pl.Utf8)
        for name, values in (("map_sheet", sheets), ("parcel_no", numbers))
    ]
    return frame.with_columns(
        *[
            pl.when(pl.Series(has_parcel)).then(column).otherwise(None).alias(column.name)
            for column in parcel_columns
        ],
        pl.when(pl.col("has_fee")).then(pl.col("paid_online")).alias("paid_online"),
        _MASKED_NAMES.gather(name_index[keep]).alias("applicant_masked"),
    )


def _due_dates(day: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """ioc.workdays.add_working_days for each (day, whole days), computed once per distinct pair."""
    pairs, inverse = np.unique(day.astype(np.int64) * 1000 + whole, return_inverse=True)
    due = np.array(
        [
            np.datetime64(
                add_working_days(
                    datetime(1970, 1, 1) + timedelta(days=int(key // 1000)), float(key % 1000)
                ).date(),
                "D",
            )
            for key in pairs
        ]
    )
    return due[inverse].astype("datetime64[s]")


# --- staffing roster (issue 19) ------------------------------------------------------------------
# About five officers at each commune's one-stop desk (more in the large wards), a few communes
# short-staffed, now and then an officer leaving and the post filled a week later, and city staff
# seconded to some communes for some weeks. Drawn from a stream of its own (PCG64 [seed, 19, n]),
# so every other figure of the demo is what it was before rosters existed. The processing log's
# steps name an officer of the commune's roster in force that day (queries/demo_insert_steps.sql).
DESK = "Bộ phận Một cửa"
ROSTER_SPAN_DAYS = 800  # from the demo's start: covers every moment the feed can reach
SHORT_STAFFED_SHARE = 0.05
SECONDED_SHARE = 0.06
CITY_DEPARTMENTS = ("Sở Nội vụ", "Sở Tư pháp", "Sở Nông nghiệp và Môi trường", "Văn phòng UBND")


def _roster_frame(communes: _Communes, seed: int, start: date) -> pl.DataFrame:
    """The demo's roster: one row per officer and stint (staff_roster's columns)."""
    n = len(communes.code)
    # The communes' sizes as _world draws them (the first draw of its own stream, read again).
    size = np.random.Generator(np.random.PCG64([seed, 3, n])).lognormal(0.0, 0.4, n)
    size = size * np.where(communes.is_urban, 1.7, 1.0)
    rng = np.random.Generator(np.random.PCG64([seed, 19, n]))
    staff = np.clip(np.round(4.2 * np.sqrt(size / np.median(size)) + rng.normal(0, 0.6, n)), 3, 8)
    short = rng.random(n) < SHORT_STAFFED_SHARE
    staff = np.where(short, rng.integers(2, 4, n), staff).astype(int)
    rows: list[dict] = []
    horizon = start + timedelta(days=ROSTER_SPAN_DAYS)
    for c in range(n):
        for k in range(staff[c]):
            name = str(_MASKED_NAMES[int(rng.integers(len(_MASKED_NAMES)))])
            share = 0.5 if k == 0 and staff[c] >= 5 else 1.0  # the desk's head works half there
            officer = f"{communes.code[c]}-CB{k + 1:02d}"
            row = {"officer_id": officer, "officer_masked": name, "commune_code": communes.code[c]}
            leaves = rng.random() < 0.08
            if leaves:  # left on some day; the post filled a week later
                left = start + timedelta(days=int(rng.integers(30, ROSTER_SPAN_DAYS - 60)))
                rows.append(row | {"from_date": start, "to_date": left, "time_share": share})
                follower = str(_MASKED_NAMES[int(rng.integers(len(_MASKED_NAMES)))])
                rows.append(
                    row
                    | {
                        "officer_id": f"{officer}B",
                        "officer_masked": follower,
                        "from_date": left + timedelta(days=8),
                        "to_date": None,
                        "time_share": share,
                    }
                )
            else:
                rows.append(row | {"from_date": start, "to_date": None, "time_share": share})
    seconded = np.flatnonzero(rng.random(n) < SECONDED_SHARE)
    for number, c in enumerate(seconded, start=1):
        first = start + timedelta(
            days=int(rng.integers(20, horizon.toordinal() - start.toordinal() - 90))
        )
        first -= timedelta(days=first.weekday())  # from a Monday
        weeks = int(rng.integers(4, 9))
        for k in range(int(rng.integers(1, 4))):
            rows.append(
                {
                    "officer_id": f"TP-{number:03d}-{k + 1}",
                    "officer_masked": str(_MASKED_NAMES[int(rng.integers(len(_MASKED_NAMES)))]),
                    "commune_code": communes.code[c],
                    "from_date": first,
                    "to_date": first + timedelta(days=7 * weeks - 3),
                    "time_share": 1.0,
                    "seconded_from": CITY_DEPARTMENTS[int(rng.integers(len(CITY_DEPARTMENTS)))],
                }
            )
    return pl.DataFrame(
        [{"seconded_from": None, **r, "desk": DESK} for r in rows],
        schema={
            "officer_id": pl.String,
            "officer_masked": pl.String,
            "commune_code": pl.String,
            "desk": pl.String,
            "from_date": pl.Date,
            "to_date": pl.Date,
            "time_share": pl.Float64,
            "seconded_from": pl.String,
        },
    )


def _build_roster(
    con: duckdb.DuckDBPyConnection, communes: _Communes, seed: int, start: datetime
) -> int:
    """Replace the demo's roster (source 'demo'); the number of officers in it."""
    frame = _roster_frame(communes, seed, start.date())
    store.execute(con, "demo_clear_roster", source_file=SOURCE_FILE)
    _insert(con, "demo_insert_roster", "demo_roster", frame, source_file=SOURCE_FILE)
    return frame["officer_id"].n_unique()


# --- the citizen's voice (issue 18) ----------------------------------------------------------------
# Ratings: drawn in SQL over the resolved dossiers (queries/demo_insert_ratings.sql describes the
# draws): each commune its own rating habit and satisfaction, improving over the months, land
# procedures rated worse, a few communes with one bad month. Feedback (phản ánh, kiến nghị): a
# few items a week per commune from a stream of its own (PCG64 [seed, 18, n]); topics whose share
# moves with the months (online payment and VNeID accounts growing, staff attitude and premises
# falling), answered in a time that depends on the commune, some late, some never. The whole
# feedback history is drawn again and cut at `until` whenever the demo moves on (a few thousand
# rows), so a feed and a build straight to `until` hold the same items.
FEEDBACK_PER_DAY = (0.10, 0.45)  # items per commune and working day: the quietest and busiest
# topic, share at the start, change of share per month (shares renormalised per item)
FEEDBACK_TOPICS = (
    ("Thời gian giải quyết hồ sơ", 0.24, -0.002),
    ("Thái độ, tác phong cán bộ", 0.16, -0.006),
    ("Hướng dẫn, biểu mẫu hồ sơ", 0.14, -0.002),
    ("Thanh toán trực tuyến, phí, lệ phí", 0.06, 0.010),
    ("Tài khoản định danh VNeID, đăng nhập", 0.04, 0.012),
    ("Lỗi hệ thống dịch vụ công", 0.08, 0.004),
    ("Đất đai, xây dựng", 0.14, -0.002),
    ("Cơ sở vật chất Bộ phận Một cửa", 0.14, -0.006),
)
FEEDBACK_TEXTS = {
    "Thời gian giải quyết hồ sơ": "Hồ sơ nộp đã lâu nhưng chưa có kết quả, đề nghị xem xét",
    "Thái độ, tác phong cán bộ": "Cán bộ tiếp nhận Lê V. T. có thái độ chưa đúng mực",
    "Hướng dẫn, biểu mẫu hồ sơ": "Biểu mẫu trên cổng khác với biểu mẫu tại Bộ phận Một cửa",
    "Thanh toán trực tuyến, phí, lệ phí": "Đã thanh toán trực tuyến nhưng hệ thống báo chưa nộp phí",
    "Tài khoản định danh VNeID, đăng nhập": "Không đăng nhập được bằng tài khoản VNeID mức 2",
    "Lỗi hệ thống dịch vụ công": "Cổng dịch vụ công báo lỗi khi tải tệp đính kèm",
    "Đất đai, xây dựng": "Đề nghị giải thích lý do chậm cấp giấy chứng nhận, liên hệ ***",
    "Cơ sở vật chất Bộ phận Một cửa": "Khu chờ thiếu ghế, máy lấy số thường xuyên hỏng",
}
FEEDBACK_CHANNEL_SHARES = (
    ("portal", 0.40), ("hotline", 0.20), ("app", 0.15), ("direct", 0.12), ("letter", 0.08),
    ("email", 0.05),
)  # fmt: skip


def _feedback_frame(
    communes: _Communes, procedures: _Procedures, seed: int, start: date, until: datetime
) -> pl.DataFrame:
    """Every feedback item received from `start` to `until`, as it stands at `until`."""
    n = len(communes.code)
    rng = np.random.Generator(np.random.PCG64([seed, 18, n]))
    busy = rng.uniform(*FEEDBACK_PER_DAY, n)
    speed = rng.beta(4, 2, n)  # 1: answers within days; 0: often past the 15 working days
    days = np.arange(np.datetime64(start), np.datetime64(until.date()) + 1)
    working = np.is_busday(days, holidays=_HOLIDAYS)
    rate = np.outer(busy, np.where(working, 1.0, 0.15))
    counts = rng.poisson(rate)
    commune_index, day_index = np.nonzero(counts)
    repeat = counts[commune_index, day_index]
    c = np.repeat(commune_index, repeat)
    day = days[np.repeat(day_index, repeat)]
    k = len(c)
    if k == 0:
        return pl.DataFrame(schema=FEEDBACK_SCHEMA)
    months = (day - np.datetime64(start)).astype(int) / 30.4
    names = [t[0] for t in FEEDBACK_TOPICS]
    shares = np.clip(
        np.array([t[1] for t in FEEDBACK_TOPICS])[None, :]
        + np.outer(months, [t[2] for t in FEEDBACK_TOPICS]),
        0.01,
        None,
    )
    cdf = np.cumsum(shares, axis=1) / shares.sum(axis=1, keepdims=True)
    topic = (rng.random(k)[:, None] > cdf).sum(axis=1)
    channel = _pick(rng.random(k), FEEDBACK_CHANNEL_SHARES)
    received = day + (rng.uniform(7, 21, k) * 3600).astype("timedelta64[s]")
    transferred = np.where(
        rng.random(k) < 0.4,
        received + (rng.uniform(2, 50, k) * 3600).astype("timedelta64[s]"),
        np.datetime64("NaT"),
    )
    start_day = np.where(np.isnat(transferred), received, transferred).astype("datetime64[D]")
    due = _busday(start_day, np.full(k, 15)) + np.timedelta64(17, "h")
    due = np.where(rng.random(k) < 0.5, due, np.datetime64("NaT"))
    kind = rng.random(k)
    outcome = np.where(kind < 0.07, "rejected", np.where(kind < 0.15, "info_requested", "answered"))
    median = np.where(outcome == "rejected", 1.5, np.where(outcome == "info_requested", 3.0, 1.0))
    median = median * np.where(outcome == "answered", 5 + 14 * (1 - speed[c]), 1.0)
    lag = np.maximum(0, np.round(rng.lognormal(np.log(median), 0.45))).astype(int)
    answered = _busday(start_day, lag) + (rng.uniform(8, 17, k) * 3600).astype("timedelta64[s]")
    answered = np.maximum(answered, received + np.timedelta64(1, "h"))
    never = rng.random(k) < 0.03
    cut = np.datetime64(until)
    answered = np.where(never | (answered > cut), np.datetime64("NaT"), answered)
    open_now = np.isnat(answered)
    transferred = np.where(transferred > cut, np.datetime64("NaT"), transferred)
    late = ~open_now & (answered > _busday(start_day, np.full(k, 15)) + np.timedelta64(17, "h"))
    unsatisfied = ~open_now & (rng.random(k) < np.where(late, 0.35, 0.08))
    complaint = ~open_now & (rng.random(k) < np.where(unsatisfied, 0.2, 0.01))
    proc_pick = np.searchsorted(procedures.cdf[True], rng.random(k)).clip(
        0, len(procedures.code) - 1
    )
    with_procedure = rng.random(k) < 0.6
    keep = received <= cut
    frame = pl.DataFrame(
        {
            "feedback_id": [f"PAKN-{communes.code[ci]}-{i:06d}" for i, ci in enumerate(c)],
            "commune_code": communes.code[c].astype(str),
            "procedure_code": procedures.code[proc_pick].astype(str),
            "channel": channel.astype(str),
            "topic": np.array(names)[topic],
            "received_at": received.astype("datetime64[us]"),
            "transferred_at": transferred.astype("datetime64[us]"),
            "due_at": due.astype("datetime64[us]"),
            "answered_at": answered.astype("datetime64[us]"),
            "outcome": outcome.astype(str),
            "rated_unsatisfied": unsatisfied,
            "complaint_after": complaint,
            "content_masked": [FEEDBACK_TEXTS[names[i]] for i in topic],
            "_with_procedure": with_procedure,
            "_open": open_now,
            "_keep": keep,
        }
    )
    answered_only = pl.when(~pl.col("_open"))
    frame = frame.filter("_keep").with_columns(
        pl.when("_with_procedure").then("procedure_code").alias("procedure_code"),
        *(
            answered_only.then(c).alias(c)
            for c in ("outcome", "rated_unsatisfied", "complaint_after")
        ),
    )
    return frame.select(list(FEEDBACK_SCHEMA)).cast(FEEDBACK_SCHEMA)


def _build_voice(
    con: duckdb.DuckDBPyConnection,
    communes: _Communes,
    procedures: _Procedures,
    seed: int,
    start: datetime,
    since: datetime,
    until: datetime,
) -> dict[str, int]:
    """The ratings given after `since` up to `until`, and the feedback history as it stands at
    `until` (replacing the demo's); counts of each."""
    ratings = store.execute(
        con, "demo_insert_ratings", seed=seed, since=since, until=until, source_file=SOURCE_FILE
    )
    frame = _feedback_frame(communes, procedures, seed, start.date(), until)
    store.execute(con, "demo_clear_feedback", source_file=SOURCE_FILE)
    _insert(con, "demo_insert_feedback", "demo_feedback", frame, source_file=SOURCE_FILE)
    return {"ratings": int(ratings.item(0, 0)) if ratings.height else 0, "feedback": frame.height}
