"""Settings: environment variables first, then defaults next to the project (see interfaces.md)."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT = PACKAGE_DIR.parent
_IN_CHECKOUT = (_CHECKOUT / "app.py").is_file() and (_CHECKOUT / "queries").is_dir()
# The app's own files (app.py, pages/, queries/, .streamlit/): the repository's in a checkout or an
# editable install; an installed copy (`pip install .`) carries them inside the package, as
# ioc/shipped (see pyproject.toml).
PROJECT_ROOT = _CHECKOUT if _IN_CHECKOUT else PACKAGE_DIR / "shipped"
QUERIES_DIR = PROJECT_ROOT / "queries"
STREAMLIT_CONFIG = PROJECT_ROOT / (".streamlit" if _IN_CHECKOUT else "streamlit") / "config.toml"
# Where a deployment keeps its store, inbox and local settings: the checkout, or the folder an
# installed copy is started from.
HOME = _CHECKOUT if _IN_CHECKOUT else Path.cwd()
DATA_DIR = HOME / "data"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")

# Hanoi is the city this deployment serves by default; the province filter can widen it.
DEFAULT_PROVINCE = "01"
# Dossiers are generated and KPIs are counted from the day the two-level government started.
START_DATE = datetime(2025, 7, 1)


def db_path() -> Path:
    """Path of the DuckDB store (IOC_DB overrides data/ioc.duckdb)."""
    return Path(os.environ.get("IOC_DB") or DATA_DIR / "ioc.duckdb")


STORE_BACKENDS = ("duckdb", "ducklake")


def store_backend() -> str:
    """Which store the app works on (IOC_STORE): 'duckdb', the embedded file (default), or
    'ducklake', a DuckLake whose catalog is in PostgreSQL and whose rows are Parquet files
    (docs/ducklake.md): several app processes read it while one writer imports."""
    value = (os.environ.get("IOC_STORE") or "duckdb").strip().lower()
    if value not in STORE_BACKENDS:
        raise ValueError(f"IOC_STORE={value!r}: use one of {', '.join(STORE_BACKENDS)}")
    return value


def lake_catalog() -> str:
    """The PostgreSQL connection of the DuckLake catalog, as libpq key=value words
    (IOC_LAKE_CATALOG; a password belongs in ~/.pgpass or PGPASSWORD, not here)."""
    return os.environ.get("IOC_LAKE_CATALOG") or "dbname=ioc host=127.0.0.1 port=5432 user=ioc"


def lake_schema() -> str:
    """The PostgreSQL schema holding the DuckLake catalog tables (IOC_LAKE_SCHEMA)."""
    return os.environ.get("IOC_LAKE_SCHEMA") or "ioc_lake"


def lake_data_path() -> Path:
    """The folder of the lake's Parquet files (IOC_LAKE_DATA), shared by every process."""
    return Path(os.environ.get("IOC_LAKE_DATA") or DATA_DIR / "lake")


def lake_retention_days() -> int:
    """How many days the lake keeps its snapshots (IOC_LAKE_RETENTION_DAYS): the worker's
    checkpoints expire older ones, and time travel (ioc/history.py) reaches this far back."""
    return int(os.environ.get("IOC_LAKE_RETENTION_DAYS", "35"))


def inbox_path() -> Path:
    """Watched folder for exports (IOC_INBOX overrides data/inbox/)."""
    return Path(os.environ.get("IOC_INBOX") or DATA_DIR / "inbox")


def demo_enabled() -> bool:
    """Demo mode: IOC_DEMO=0 turns it off; otherwise on until real data is imported."""
    return os.environ.get("IOC_DEMO", "1").strip() not in ("0", "false", "no", "off")


def demo_feed_seconds() -> float:
    """How often the running app moves a demo store on to the present (IOC_DEMO_FEED_SECONDS;
    0 or off: never, the demo then stands still at the moment it was built)."""
    value = os.environ.get("IOC_DEMO_FEED_SECONDS", "60").strip().lower()
    if value in ("0", "off", "no", "false", ""):
        return 0.0
    return max(float(value), 1.0)


def now() -> datetime:
    """Current Vietnam local time, naive. IOC_NOW (ISO) pins it, for tests and reproducible demos."""
    pinned = os.environ.get("IOC_NOW")
    if pinned:
        return datetime.fromisoformat(pinned).replace(tzinfo=None)
    return datetime.now(TZ).replace(tzinfo=None, microsecond=0)
