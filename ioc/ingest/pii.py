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


# Free text (a rating's comment, a feedback's content): what identifies a person is masked in
# place. E-mail addresses, phone and ID numbers (runs of 9 or more digits, spaces and dots allowed
# between them) become MASKED; a run of two to five capitalised words (a name, "Nguyễn Văn An")
# is masked as mask_names does it ("Nguyễn V. A."). Capitalised place names are masked alike:
# the rule errs on the side of the citizen.
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_LONG_NUMBER = r"\+?\d(?:[\s.]?\d){8,}"
_CAPITALISED = r"(?:\p{Lu}\p{Ll}*)"
_NAME_RUN = rf"\b{_CAPITALISED}(?:\s+{_CAPITALISED}){{1,4}}\b"


def mask_text(values: pl.Series) -> pl.Series:
    """Comments and feedback texts with e-mails, phone / ID numbers and names masked."""

    def mask(clean: pl.Series) -> pl.Series:
        numbers = clean.str.replace_all(_EMAIL, MASKED).str.replace_all(_LONG_NUMBER, MASKED)
        names = numbers.str.extract_all(_NAME_RUN)
        masked = [
            _mask_runs(text, runs) if text is not None else None
            for text, runs in zip(numbers.to_list(), names.to_list(), strict=True)
        ]
        return pl.Series(masked, dtype=pl.String).replace("", None)

    return _per_distinct(
        values.cast(pl.String),
        lambda raw: mask(raw.str.normalize("NFC").str.strip_chars().str.replace_all(r"\s+", " ")),
    )


# Words of address that start a sentence before a name ("Ông Nguyễn Văn An"): kept as they are.
_ADDRESS = frozenset({"Ông", "Bà", "Anh", "Chị", "Em", "Cô", "Chú", "Bác", "Cháu", "Cụ", "Cán"})


def _mask_runs(text: str, runs: list[str] | None) -> str:
    for run in sorted(set(runs or ()), key=len, reverse=True):
        first, _, rest = run.partition(" ")
        if first in _ADDRESS and " " in rest:
            masked = f"{first} {mask_name(rest)}"
        else:
            masked = mask_name(run) or MASKED
        text = text.replace(run, masked)
    return text
