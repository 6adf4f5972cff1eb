"""A non-editable install runs like the checkout: the wheel carries the app's own files (app.py,
pages/, queries/, the Streamlit settings), and its `ioc` answers from any folder.

Built and installed into a throwaway venv (dependencies from pip's cache or the registry), then
run from an empty folder: `ioc kpi` gives the hand-computed figures, the app script runs, and
`ioc serve` answers with the project's settings (no usage statistics) although the folder has no
.streamlit/ of its own.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fixtures import C1, make_store

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def venv(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "wheel", "--no-deps", "-w", str(wheels), str(ROOT)], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True)
    python = work / "venv" / "bin" / "python"
    wheel = next(wheels.glob("*.whl"))
    # Without PYTHONPATH: a checkout on it (PYTHONPATH=<worktree>, as a worktree's tests run) holds
    # the ioc_dashboard.egg-info the wheel build leaves, and pip then takes the package as
    # installed and skips it.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [str(python), "-m", "pip", "--disable-pip-version-check", "-q", "install", str(wheel)],
        check=True,
        env=clean,
    )
    return work / "venv" / "bin"


@pytest.fixture
def elsewhere(tmp_path) -> tuple[Path, dict]:
    folder = tmp_path / "deployment"
    folder.mkdir()
    env = os.environ | {
        "IOC_DB": str(make_store(tmp_path / "store.duckdb")),
        "IOC_DEMO": "0",
        "IOC_NOW": "2025-10-13T10:00:00",
        "IOC_BACKUP_AT": "off",
    }
    env.pop("PYTHONPATH", None)
    return folder, env


def test_the_installed_package_is_not_the_checkout(venv, elsewhere):
    folder, env = elsewhere
    code = "import ioc.config as c; print(c.PROJECT_ROOT); print(c.QUERIES_DIR.is_dir())"
    out = subprocess.run(
        [str(venv / "python"), "-c", code], cwd=folder, env=env, capture_output=True, text=True
    )
    root, queries = out.stdout.split()
    assert root.endswith("site-packages/ioc/shipped") and queries == "True", out.stderr


def test_ioc_kpi_from_any_folder(venv, elsewhere):
    folder, env = elsewhere
    out = subprocess.run(
        [str(venv / "ioc"), "kpi", "--from", "2025-10-06", "--to", "2025-10-12"]
        + ["--commune", C1, "--format", "json"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    (row,) = json.loads(out.stdout)
    assert (row["received"], row["resolved"], row["open_at_end"]) == (13, 7, 6)  # test_kpi.py


def test_the_app_script_runs(venv, elsewhere):
    folder, env = elsewhere
    code = (
        "import sys; from streamlit.testing.v1 import AppTest; import ioc.config as c\n"
        "at = AppTest.from_file(str(c.PROJECT_ROOT / 'app.py'), default_timeout=60).run()\n"
        "print(len(at.exception), len(at.text_input))"
    )
    out = subprocess.run(
        [str(venv / "python"), "-c", code], cwd=folder, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    errors, inputs = map(int, out.stdout.split())
    assert errors == 0 and inputs >= 1  # the sign-in (or first-start) form


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_ioc_serve_answers_with_the_project_settings(venv, elsewhere):
    folder, env = elsewhere
    port = _free_port()
    server = subprocess.Popen(
        [str(venv / "ioc"), "serve", "--port", str(port), "--address", "127.0.0.1"],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                    assert answer.read() == b"ok"
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.5)
        with urllib.request.urlopen(f"{base}/", timeout=5) as answer:
            assert answer.status == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
    # Streamlit says so when it would send usage statistics (the project's settings reached it
    # from a folder without a .streamlit/ of its own), and looks the external IP up on the web
    # when no address is given: neither happens.
    assert "Collecting usage statistics" not in output, output
    assert "external IP" not in output, output
