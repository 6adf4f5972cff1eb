"""Personal data at the door: names masked, ID and phone numbers replaced by a salted hash.

Raw names, ID numbers and phone numbers never reach the store, quarantine included. The salt comes
from IOC_SALT (a deployment sets its own); the demo default keeps demo keys reproducible.
"""

from __future__ import annotations

import hashlib
import os

import polars as pl

DEMO_SALT = "ioc-demo-salt"
MASKED = "***"


def salt() -> str:
    """The hashing salt: IOC_SALT, else the demo default."""
    return os.environ.get("IOC_SALT") or DEMO_SALT


def _per_distinct(values: pl.Series, convert) -> pl.Series:
    """`convert` run on the distinct values only and joined back: exports repeat the same names
    and numbers on many rows."""
    distinct = values.drop_nulls().unique()
    return values.replace_strict(distinct, convert(distinct), default=None, return_dtype=pl.String)


def mask_names(names: pl.Series) -> pl.Series:
    """'Nguyễn Văn An' -> 'Nguyễn V. A.': the family name kept, the other words as initials."""

    def mask(clean: pl.Series) -> pl.Series:
        return (
            clean.str.replace_all(r"\s+", " ")
            .str.to_titlecase()
            .str.replace_all(r" (\w)\w*\.?", " ${1}.")
            .replace("", None)
        )

    return _per_distinct(
        names.cast(pl.String), lambda raw: mask(raw.str.normalize("NFC").str.strip_chars())
    )


def mask_name(name: str | None) -> str | None:
    """One name, as mask_names does it."""
    return mask_names(pl.Series([name], dtype=pl.String))[0]


def _id_text(values: pl.Series) -> pl.Series:
    return values.str.replace_all(r"\s+", "").str.to_uppercase()


def _phone_text(values: pl.Series) -> pl.Series:
    """Digits only; +84 / 84 written as the national 0."""
    digits = values.str.replace_all(r"\D", "")
    international = digits.str.starts_with("84") & (digits.str.len_chars() > 9)
    return digits.zip_with(~international.fill_null(False), "0" + digits.str.slice(2))


def hash_values(values: pl.Series, kind: str) -> pl.Series:
    """Salted SHA-256 of each ID number (kind 'id') or phone number (kind 'tel'); null stays null."""
    clean = _id_text if kind == "id" else _phone_text
    prefix = f"{salt()}|{kind}|".encode()

    def digest(distinct: pl.Series) -> pl.Series:
        cleaned = clean(distinct.str.strip_chars()).to_list()
        return pl.Series(
            [hashlib.sha256(prefix + v.encode()).hexdigest()[:32] if v else None for v in cleaned],
            dtype=pl.String,
        )

    return _per_distinct(values.cast(pl.String), digest)
