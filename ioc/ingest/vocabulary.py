"""Reading a value by its meaning (issue 14): status, channel and service-level labels as one-stop
systems and the national portal write them, not only the contract's short labels.

A value is read in three steps, and the first that answers wins:
1. the exact tables of aliases.py (codes 1..10 of the portal, the contract's labels), after fold;
2. rules on the words that carry the meaning, on the text lower-cased, without diacritics, with
   punctuation as spaces ("Yêu cầu bổ sung giấy tờ" -> "yeu cau bo sung giay to" holds "bo sung");
3. nothing: the value is unknown and its rows are quarantined, where an administrator can map it
   once (ioc/ingest/mappings.py).
A text in which the rules find two meanings that cannot both hold ("Từ chối - công dân rút hồ sơ")
is not guessed: it is ambiguous, and quarantined as such. docs/vocabulary.md lists every rule.
"""

from __future__ import annotations

import re
import unicodedata

from ioc.ingest.aliases import CHANNELS, LEVELS, STATUSES, fold

AMBIGUOUS = "?ambiguous"  # what a reading returns for a text with two meanings

# (status, phrases): a phrase matches whole words. Checked in this order; a matched phrase is
# taken out of the text, so "không tiếp nhận" (rejected) leaves no "tiếp nhận" (accepted) behind.
STATUS_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("rejected", ("khong tiep nhan", "khong duoc tiep nhan", "tu choi", "khong du dieu kien")),
    ("registered", ("chua tiep nhan", "cho tiep nhan", "moi dang ky", "dang ky moi", "moi nop")),
    ("withdrawn", ("rut ho so", "xin rut", "yeu cau rut", "da rut", "rut")),
    ("supplement_requested", ("bo sung",)),
    (
        "payment_requested",
        ("nghia vu tai chinh", "nop phi", "nop le phi", "nop thue", "cho thanh toan"),
    ),
    ("stopped", ("dung xu ly", "tam dung", "dung giai quyet", "ngung xu ly", "ngung giai quyet")),
    ("finished", ("cho tra ket qua", "chua tra ket qua", "cho tra")),
    ("returned", ("da tra ket qua", "tra ket qua", "da tra", "da trao ket qua", "da ban giao")),
    (
        "finished",
        ("xu ly xong", "hoan thanh", "da giai quyet", "co ket qua", "da xong", "giai quyet xong"),
    ),
    (
        "processing",
        (
            "dang xu ly",
            "dang giai quyet",
            "dang thu ly",
            "trinh ky",
            "cho ky",
            "cho phe duyet",
            "cho duyet",
            "dang tham dinh",
            "chuyen xu ly",
            "chuyen phong",
            "chuyen bo phan",
            "tham tra",
            "xac minh",
            "dang thuc hien",
        ),
    ),
    ("accepted", ("da tiep nhan", "duoc tiep nhan", "tiep nhan")),
)
# A dossier moves along this line; a label naming two of its steps ("Đã tiếp nhận, đang xử lý")
# is at the later one. The other statuses are states of their own: one of them beside steps of
# the line is that state ("Đang xử lý - yêu cầu bổ sung"); two of them are ambiguous.
LIFECYCLE = ("registered", "accepted", "processing", "finished", "returned")

CHANNEL_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("postal", ("buu chinh", "buu dien", "bccl", "vnpost")),
    (
        "online",
        ("truc tuyen", "online", "dvc", "dich vu cong", "cong dvc", "qua mang", "dvctt", "vneid"),
    ),
    ("direct", ("truc tiep", "tai quay", "mot cua", "nop giay", "tai bo phan")),
)
LEVEL_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("full", ("toan trinh", "muc do 4", "muc 4")),
    ("partial", ("mot phan", "muc do 3", "muc 3")),
    ("info", ("cung cap thong tin", "muc do 2", "muc 2")),
)

_WORDS = re.compile(r"[^a-z0-9]+")


def words(text: object) -> str:
    """' yeu cau bo sung giay to ': lower case, no diacritics, words between single spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text).lower().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return f" {_WORDS.sub(' ', plain).strip()} "


def _by_rules(text: str, rules: tuple[tuple[str, tuple[str, ...]], ...]) -> list[str]:
    """The meanings the rules find in a text, each matched phrase taken out of it."""
    found: list[str] = []
    rest = words(text)
    for meaning, phrases in rules:
        for phrase in phrases:
            key = f" {phrase} "
            if key in rest:
                found.append(meaning)
                rest = rest.replace(key, " ")
    return found


def read_status(text: str) -> str | None:
    """A status code, AMBIGUOUS, or None (unknown)."""
    exact = STATUSES.get(fold(text))
    if exact:
        return exact
    found = set(_by_rules(text, STATUS_RULES))
    if not found:
        return None
    own = found - set(LIFECYCLE)
    if len(own) > 1:
        return AMBIGUOUS
    if own:
        return own.pop()
    return max(found, key=LIFECYCLE.index)


def _one_of(text: str, table: dict, rules) -> str | None:
    exact = table.get(fold(text))
    if exact:
        return exact
    found = set(_by_rules(text, rules))
    if len(found) > 1:
        return AMBIGUOUS
    return found.pop() if found else None


def read_channel(text: str) -> str | None:
    return _one_of(text, CHANNELS, CHANNEL_RULES)


def read_level(text: str) -> str | None:
    return _one_of(text, LEVELS, LEVEL_RULES)


# Yes/no as spreadsheets and systems write them: words, marks and the portal's 0/1.
TRUE_TEXTS = frozenset(
    {"1", "true", "t", "yes", "y", "x", "co", "da", "dung", "roi", "da so hoa", "da xac thuc"}
)
FALSE_TEXTS = frozenset(
    {"0", "false", "f", "no", "n", "khong", "chua", "sai", "chua so hoa", "chua xac thuc"}
)
TRUE_MARKS = frozenset({"✓", "✔", "☑", "✅", "■", "●"})
FALSE_MARKS = frozenset({"✗", "✘", "☐", "□", "-", "–"})
# DuocThanhToanTrucTuyen: 1 and 2 are the portal's two online payment routes, 3 is "not online".
PAID_CODES = {"1": True, "2": True, "3": False}


def read_flag(text: str) -> bool | None:
    """True / False, or None (unknown); TRUE/FALSE cells, x and ✓ marks, Có/Không, 1/0."""
    stripped = str(text).strip()
    if stripped in TRUE_MARKS:
        return True
    if stripped in FALSE_MARKS:
        return False
    key = words(stripped).strip()
    if key in ("1 0", "0 0"):  # a number cell read as text: 1.0 / 0.0
        key = key[0]
    if key in TRUE_TEXTS:
        return True
    if key in FALSE_TEXTS:
        return False
    return None


# --- the citizen's voice (issue 18): rating levels, feedback channels and outcomes ---------------
# Levels of the national portal's evaluation and the one-stop systems' rating exports. Checked in
# this order, each matched phrase taken out: "Không hài lòng" leaves no "hài lòng" behind.
RATING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "not_satisfied",
        (
            "khong hai long", "chua hai long", "rat khong hai long", "khong tot", "kem",
            "khong dong y", "not satisfied", "dissatisfied", "unsatisfied",
        ),
    ),
    ("very_satisfied", ("rat hai long", "rat tot", "very satisfied")),
    (
        "satisfied",
        ("hai long", "tot", "binh thuong", "chap nhan duoc", "satisfied"),
    ),
)  # fmt: skip
RATING_LEVELS = ("very_satisfied", "satisfied", "not_satisfied")
# Where a feedback item came in (phản ánh, kiến nghị).
FEEDBACK_CHANNEL_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("portal", ("cong dich vu cong", "cong dvc", "dich vu cong", "dvc", "he thong pakn", "pakn")),
    ("hotline", ("duong day nong", "hotline", "tong dai", "dien thoai", "1022")),
    ("app", ("ung dung", "app", "zalo", "mang xa hoi", "vneid", "igov", "hanoi smart city")),
    ("email", ("thu dien tu", "email", "e mail")),
    ("letter", ("van ban", "don thu", "cong van", "thu", "buu chinh")),
    ("direct", ("truc tiep", "tai quay", "tiep cong dan", "hop dan", "doi thoai")),
    ("press", ("bao chi", "bao", "phuong tien truyen thong")),
)
FEEDBACK_CHANNELS = tuple(dict.fromkeys(c for c, _ in FEEDBACK_CHANNEL_RULES))
# What became of a feedback item; a state still in hand reads as open (None).
OUTCOME_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("open", ("chua tra loi", "chua xu ly", "dang xu ly", "cho xu ly", "moi tiep nhan", "dang giai quyet")),
    ("rejected", ("tu choi", "khong tiep nhan", "khong thu ly", "khong xu ly", "tra lai")),
    ("info_requested", ("yeu cau bo sung", "bo sung thong tin", "cung cap them thong tin", "de nghi cung cap")),
    ("answered", ("da tra loi", "tra loi", "da xu ly", "da giai quyet", "hoan thanh", "da phan hoi", "answered")),
)  # fmt: skip
FEEDBACK_OUTCOMES = ("answered", "rejected", "info_requested")


def read_rating(text: str) -> str | None:
    """'very_satisfied' | 'satisfied' | 'not_satisfied', AMBIGUOUS, or None (unknown)."""
    found = set(_by_rules(text, RATING_RULES))
    if len(found) > 1:
        return AMBIGUOUS
    return found.pop() if found else None


def read_feedback_channel(text: str) -> str | None:
    found = set(_by_rules(text, FEEDBACK_CHANNEL_RULES))
    if len(found) > 1:
        return AMBIGUOUS
    return found.pop() if found else None


def read_outcome(text: str) -> str | None:
    """'answered' | 'rejected' | 'info_requested' | 'open', AMBIGUOUS, or None (unknown)."""
    found = set(_by_rules(text, OUTCOME_RULES))
    if len(found) > 1:
        return AMBIGUOUS
    return found.pop() if found else None


def read_paid(text: str) -> bool | None:
    """The portal's payment flag (1/2 paid online, 3 not), or a yes/no."""
    stripped = str(text).strip().removesuffix(".0")
    if stripped in PAID_CODES:
        return PAID_CODES[stripped]
    return read_flag(stripped)


# "P. Cửa Nam", "X. Thanh Trì", "TT. Văn Điển": unit names written short.
_SHORT_UNIT = re.compile(r"^\s*(p|x|tt|phg)\s*[.:]\s*", re.IGNORECASE)
_SHORT_WORDS = {"p": "Phường ", "phg": "Phường ", "x": "Xã ", "tt": "Thị trấn "}


def expand_unit(text: str) -> str:
    """A commune name with its short prefix written out ("P. Cửa Nam" -> "Phường Cửa Nam")."""
    match = _SHORT_UNIT.match(text)
    if not match:
        return text
    return _SHORT_WORDS[match.group(1).lower()] + text[match.end() :]


def document() -> str:
    """docs/vocabulary.md: the accepted vocabulary, one table per field, written from the tables
    and rules above (a test keeps the file equal to this, so it cannot drift)."""
    from ioc.ingest.aliases import COLUMN_ALIASES, STATUS_CODES
    from ioc.ingest.catalogue import CATALOGUE_ALIASES
    from ioc.ingest.readers import STEP_FIELDS
    from ioc.ingest.roster import ROSTER_ALIASES
    from ioc.ingest.voice import FEEDBACK_ALIASES, RATING_ALIASES

    def rules_table(rules) -> list[str]:
        rows = ["| value | phrases (whole words, no diacritics needed) |", "|---|---|"]
        merged: dict[str, list[str]] = {}
        for meaning, phrases in rules:
            merged.setdefault(meaning, []).extend(phrases)
        rows += [f"| `{m}` | {', '.join(f'«{p}»' for p in ps)} |" for m, ps in merged.items()]
        return rows

    lines = [
        "# Accepted vocabulary of the exports",
        "",
        "Generated by `python -m ioc.ingest.vocabulary` from `ioc/ingest/aliases.py` and",
        "`ioc/ingest/vocabulary.py`; `tests/test_vocabulary.py` keeps this file equal to them.",
        "A value is read (1) by the exact labels and codes of the contract and the national",
        "portal, compared without case, diacritics, spaces or punctuation; (2) by the phrases",
        "below; a text in which they find two meanings that cannot both hold is quarantined as",
        "ambiguous; (3) otherwise it is unknown and quarantined, and an administrator can map",
        "it once (page Ánh xạ dữ liệu, `ioc mapping add`).",
        "",
        "## Status (TrangThaiHoSo)",
        "",
        "Portal codes: "
        + ", ".join(f"{i} = `{s}`" for i, s in enumerate(STATUS_CODES, start=1))
        + ".",
        "",
        *rules_table(STATUS_RULES),
        "",
        "Two steps of " + " → ".join(f"`{s}`" for s in LIFECYCLE) + " in one label: the later",
        "one. One other status beside them: that status. Two other statuses: ambiguous.",
        "",
        "## Channel (KenhThucHien)",
        "",
        "Portal codes: 1 = `direct`, 2 = `online`, 3 = `postal`; empty = `direct`.",
        "",
        *rules_table(CHANNEL_RULES),
        "",
        "## Service level (MucDo)",
        "",
        "Portal codes: 2 = `info`, 3 = `partial`, 4 = `full`.",
        "",
        *rules_table(LEVEL_RULES),
        "",
        "## Yes / no (HoSoCoThanhPhanSoHoa, TaiKhoanDuocXacThucVoiVNeID, CoKetQuaDienTu, DaDongBoDVCQG, fee)",
        "",
        "| value | written as |",
        "|---|---|",
        "| true | "
        + ", ".join(f"«{w}»" for w in sorted(TRUE_TEXTS))
        + ", "
        + " ".join(sorted(TRUE_MARKS))
        + " |",
        "| false | "
        + ", ".join(f"«{w}»" for w in sorted(FALSE_TEXTS))
        + ", "
        + " ".join(sorted(FALSE_MARKS))
        + " |",
        "",
        "Spreadsheet TRUE/FALSE cells and 1.0/0.0 number cells read the same way.",
        "",
        "## Online payment (DuocThanhToanTrucTuyen)",
        "",
        "1 or 2 = paid online (the portal's two payment routes), 3 = not paid online, empty = no",
        "fee data; any yes / no above.",
        "",
        "## Commune names",
        "",
        "An official code, or a name with or without «Phường» / «Xã» / «Thị trấn» / «Đặc khu» and",
        "with or without diacritics; «P.», «X.», «TT.» written short; an old (pre-1/7/2025) unit",
        "name through the old-unit table (a unit split across several new communes is ambiguous).",
        "",
        "## Column headers",
        "",
        "| column | headers |",
        "|---|---|",
        *[
            f"| `{column}` | {', '.join(f'«{n}»' for n in names)} |"
            for column, names in COLUMN_ALIASES.items()
        ],
        "",
        "## Processing log (QuaTrinhXuLy) of the portal's JSON",
        "",
        "| field | keys |",
        "|---|---|",
        *[
            f"| `{field}` | {', '.join(f'«{n}»' for n in names)} |"
            for field, names in STEP_FIELDS.items()
        ],
        "",
        "## Staffing roster (issue 19)",
        "",
        "A file whose header names an officer (id or name) and a desk or a first day, and no",
        "dossier id, is a roster (`ioc/ingest/roster.py`). Officer names are masked at the door",
        "(«Nguyễn Văn An» → «Nguyễn V. A.»); the masked name stands in for a missing id. The share",
        "of time reads «100%», «50 %», «0,5», «0.25» or «50» (a number over 1 is a percentage);",
        "empty means full time.",
        "",
        "| column | headers |",
        "|---|---|",
        *[
            f"| `{column}` | {', '.join(f'«{n}»' for n in names)} |"
            for column, names in ROSTER_ALIASES.items()
        ],
        "",
        "## Procedure catalogue (issue 18, index 766)",
        "",
        "A file whose header names a procedure code and one of the two flags below, and no dossier id and",
        "no officer, is a procedure catalogue (`ioc/ingest/catalogue.py`). Only the flags are taken (and",
        "the name of a code the store does not hold, which comes in as `unknown`, as a dossier export's new",
        "codes do); names, fields and handling times stay those of the packaged national catalogue. A flag",
        "left empty keeps the stored one. Yes reads «Có», «x», «1», «Đã công bố», «Bản giấy»; no reads",
        "«Không», «0», «Chưa», «Chưa công bố», «Bản điện tử». Quarantined: no code, a flag that is neither,",
        "an unknown code without a name, a code given twice with different flags.",
        "",
        "| column | headers |",
        "|---|---|",
        *[
            f"| `{column}` | {', '.join(f'«{n}»' for n in names)} |"
            for column, names in CATALOGUE_ALIASES.items()
        ],
        "",
        "## Citizens' ratings (issue 18)",
        "",
        "A file whose header names a dossier id and a rating level is a rating export",
        "(`ioc/ingest/voice.py`, `docs/citizen-voice.md`). Comments are masked at the door.",
        "An unknown level is quarantined; an administrator maps it once (mapping kind `rating`:",
        "`very_satisfied`, `satisfied`, `not_satisfied`, or invalid), and the mapping is read",
        "before the phrases below.",
        "",
        *rules_table(RATING_RULES),
        "",
        "| column | headers |",
        "|---|---|",
        *[
            f"| `{column}` | {', '.join(f'«{n}»' for n in names)} |"
            for column, names in RATING_ALIASES.items()
        ],
        "",
        "## Feedback and recommendations (phản ánh, kiến nghị; issue 18)",
        "",
        "A file whose header names a feedback id, or a content and a topic, and a received date,",
        "and no dossier id, is a feedback export. Contents are masked at the door. State `open`",
        "is stored as no outcome; an answer date with no state reads as `answered`. An unknown",
        "channel or state is quarantined; an administrator maps it once (mapping kinds",
        "`feedback_channel`: "
        + ", ".join(f"`{c}`" for c in FEEDBACK_CHANNELS)
        + "; `outcome`: "
        + ", ".join(f"`{o}`" for o in (*FEEDBACK_OUTCOMES, "open"))
        + "; or invalid),",
        "and the mapping is read before the phrases below.",
        "",
        "Channel:",
        "",
        *rules_table(FEEDBACK_CHANNEL_RULES),
        "",
        "State:",
        "",
        *rules_table(OUTCOME_RULES),
        "",
        "| column | headers |",
        "|---|---|",
        *[
            f"| `{column}` | {', '.join(f'«{n}»' for n in names)} |"
            for column, names in FEEDBACK_ALIASES.items()
        ],
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(document(), end="")
