"""IOC operations dashboard: store, ingest, KPIs, maps and exports behind the Streamlit pages."""

__version__ = "0.1.0"
