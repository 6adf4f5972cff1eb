"""Small stores built dossier by dossier for the hand-computed cases of the pages' tests."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from pathlib import Path

from fixtures import COMMUNES, FEE, LEVEL, PROCEDURES
from starlette.applications import Starlette

from ioc import rollups, store


def build_store(path: Path, dossiers: list[dict], targets: list[tuple] = ()) -> Path:
    """A store with the fixture's communes and procedures and the given dossiers.

    Each dossier dict needs id, commune, procedure, received; optional channel ('direct'),
    status ('processing'), due, finished, digitized (False), paid_online (None).
    """
    with store.connect(path) as con:
        con.executemany(
            "insert into communes (commune_code, commune_name, commune_type, province_code, "
            "province_name, lat, lon) values (?, ?, ?, ?, ?, ?, ?)",
            COMMUNES,
        )
        con.executemany(
            "insert into procedures (procedure_code, procedure_name, field_name, service_level, "
            "statutory_days, has_fee, is_land) values (?, ?, ?, ?, ?, ?, ?)",
            PROCEDURES,
        )
        rows = [
            (
                d["id"],
                d["procedure"],
                d["commune"],
                d.get("channel", "direct"),
                LEVEL[d["procedure"]],
                d["received"],
                d["received"],
                d.get("due"),
                d.get("finished"),
                d.get("status", "processing"),
                d.get("paid_online"),
                FEE[d["procedure"]],
                d.get("digitized", False),
                "Trần T. B.",
                "test",
            )
            for d in dossiers
        ]
        con.executemany(
            "insert into dossiers (dossier_id, procedure_code, commune_code, channel, "
            "service_level, submitted_at, received_at, due_at, finished_at, status, paid_online, "
            "has_fee, digitized, applicant_masked, source_file) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        if targets:
            con.executemany(
                "insert into targets (metric, scope, target, effective_from, effective_to) "
                "values (?, ?, ?, ?, ?)",
                list(targets),
            )
        store.set_meta(con, "data_version", "1")
        rollups.ensure(con)  # as an import would, in its transaction
    return path


def at(day: int, hour: int = 9, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2025, month, day, hour, minute)


def asgi_call(
    routes: list, method: str, path: str, query: str = "", body: bytes = b"", headers=()
) -> tuple:
    """One request to Starlette routes (ASGI, no server): status, headers (name -> values), body.
    The client is 10.0.0.5, the host ioc.local."""
    app = Starlette(routes=routes)
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(k.encode(), v.encode()) for k, v in (("host", "ioc.local"), *headers)],
        "scheme": "http",
        "server": ("ioc.local", 80),
        "client": ("10.0.0.5", 5000),
        "root_path": "",
        "http_version": "1.1",
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    # its own thread and loop: an earlier test in the same run (Streamlit's AppTest) may leave
    # an event loop running in this thread, and asyncio.run() refuses to nest
    worker = threading.Thread(target=asyncio.run, args=(app(scope, receive, send),))
    worker.start()
    worker.join()
    answer = {}
    for key, value in sent[0]["headers"]:
        answer.setdefault(key.decode(), []).append(value.decode())
    return sent[0]["status"], answer, b"".join(m.get("body", b"") for m in sent[1:])
