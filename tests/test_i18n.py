"""Strict translations: every key the code names is in ioc/i18n.py in both languages, and a key
missing at run time fails (conftest sets IOC_STRICT_I18N=1)."""

from __future__ import annotations

import re

import pytest
from test_repo import code_text

from ioc import i18n, kpi, league, metrics
from ioc.ingest import mappings, validate
from ioc.scope import ROLES
from ioc.ui import PERIOD_PRESETS

# t("key" / tr("key" / ui.tr("key" with the key written out, possibly on the next line.
LITERAL_KEY = re.compile(r"\b(?:t|tr)\(\s*\"([a-z0-9_]+(?:\.[a-z0-9_]+)+)\"")


def test_every_literal_key_is_in_the_table():
    used = set(LITERAL_KEY.findall(code_text()))
    assert len(used) > 100  # the pattern finds the keys (there are hundreds)
    assert sorted(used - set(i18n.TEXT)) == []


@pytest.mark.parametrize(
    ("prefix", "names"),
    [
        # the metrics the pages show, and every rate and the score (ioc kpi, exports, charts)
        ("kpi.", {m.name for m in metrics.METRICS if m.places or m.kind in ("rate", "score")}),
        ("", league.header_keys().values()),
        ("league.col.points_", [g for g, *_ in kpi.SCORE_GROUPS]),
        ("group.", [g for g, *_ in kpi.SCORE_GROUPS]),
        ("ingest.reason.", validate.REASONS),
        # the mapping page's kinds and the voice's canonical values (ioc/ingest/mappings.py)
        ("mapping.kind.", mappings.KINDS),
        ("mapping.hist.", mappings.HISTORY_COLUMNS),
        *[
            (f"mapping.value.{kind}.", mappings.FIXED_CHOICES[kind])
            for kind in mappings.VOICE_KINDS
        ],
        ("role.", ROLES),
        ("filter.period.", PERIOD_PRESETS),
        ("ingest.status.", ("ok", "duplicate_file", "failed")),
        # what the set-up page says of a refused first administrator
        (
            "auth.error.",
            ("bad_token", "setup_done", "password_short", "password_long", "bad_username"),
        ),
    ],
)
def test_keys_built_at_run_time_exist(prefix, names):
    assert [f"{prefix}{n}" for n in names if f"{prefix}{n}" not in i18n.TEXT] == []


def test_both_languages_are_filled_and_placeholders_agree():
    for key, (vi, en) in i18n.TEXT.items():
        assert vi.strip() and en.strip(), key
        assert set(re.findall(r"\{(\w+)", vi)) == set(re.findall(r"\{(\w+)", en)), key


def test_a_missing_key_raises_in_strict_mode_and_shows_itself_otherwise(monkeypatch):
    with pytest.raises(i18n.MissingTranslation):
        i18n.t("no.such.key")
    monkeypatch.setenv("IOC_STRICT_I18N", "0")
    assert i18n.t("no.such.key") == "no.such.key"
    assert i18n.t("kpi.received") == "Hồ sơ tiếp nhận"
