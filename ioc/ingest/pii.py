"""Personal data at the door: names masked, ID and phone numbers replaced by a salted hash.

Raw names, ID numbers and phone numbers never reach the store, quarantine included. The salt comes
from IOC_SALT (a deployment sets its own); the demo default keeps demo keys reproducible.
"""

from __future__ import annotations

import hashlib
import os
import re

import polars as pl

DEMO_SALT = "ioc-demo-salt"
MASKED = "***"


def salt() -> str:
    """The hashing salt: IOC_SALT, else the demo default."""
    return os.environ.get("IOC_SALT") or DEMO_SALT


def mask_names(names: pl.Series) -> pl.Series:
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': the family name kept, the other words as initials."""
    clean = names.cast(pl.String).str.normalize("NFC").str.strip_chars()
    return (
        clean.str.replace_all(r"\s+", " ")
        .str.to_titlecase()
        .str.replace_all(r" (\w)\w*\.?", " ${1}.")
        .replace("", None)
    )


def mask_name(name: str | None) -> str | None:
    """One name, as mask_names does it."""
    return mask_names(pl.Series([name], dtype=pl.String))[0]


def _id_text(value: str) -> str:
    return re.sub(r"\s+", "", value).upper()


def _phone_text(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return "0" + digits[2:] if digits.startswith("84") and len(digits) > 9 else digits


def hash_values(values: pl.Series, kind: str) -> pl.Series:
    """Salted SHA-256 of each ID number (kind 'id') or phone number (kind 'tel'); null stays null."""
    text = values.cast(pl.String).str.strip_chars()
    clean = _id_text if kind == "id" else _phone_text
    prefix = f"{salt()}|{kind}|".encode()
    mapping = {}
    for value in text.drop_nulls().unique():
        cleaned = clean(value)
        if cleaned:
            mapping[value] = hashlib.sha256(prefix + cleaned.encode()).hexdigest()[:32]
    return text.replace_strict(mapping, default=None, return_dtype=pl.String)
