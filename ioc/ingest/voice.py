"""The citizen's voice (issue 18): the ratings citizens give a dossier's handling, and feedback
and recommendations (phản ánh, kiến nghị) about administrative procedures.

A rating export (the national portal's evaluation, a one-stop system's rating report) is told by
its header: a dossier id and a rating level. A feedback export: a feedback id, or a content and a
topic column, and no dossier id. Both are read with the usual readers, checked row by row (bad rows
quarantined with their reason, values read by meaning as in ioc/ingest/vocabulary.py) and upserted
by their key (rating_id, feedback_id), so importing the same export again changes nothing.

A rating level, feedback channel or feedback state the vocabulary does not read is quarantined
with the value to map (problem_kind 'rating', 'feedback_channel', 'outcome'); an administrator
teaches it once on the mapping page (ioc/ingest/mappings.py), every later import reads it so
(taught values before the vocabulary; a value marked invalid stays quarantined), and the open
quarantined rows it concerns are re-checked from their stored raw values (`recheck`,
`checked_table`) and land (ioc/ingest/quarantine.reprocess).

Personal text is masked at the door (ioc/ingest/pii.mask_text): a comment or a feedback's content
never reaches the store, quarantine included, with a name, phone, ID number or e-mail in it.
docs/citizen-voice.md is the data contract.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from ioc import config
from ioc.ingest import load, mappings, normalize, pii, validate, vocabulary
from ioc.ingest.aliases import fold
from ioc.ingest.limits import Limits
from ioc.ingest.load import RunResult
from ioc.ingest.readers import RawTable, ReadError, header_columns, match_headers, read_table
from ioc.store import execute

RATINGS_FRAME = "ingest_batch_ratings"
FEEDBACK_FRAME = "ingest_batch_feedback"
DOSSIERS_FRAME = "ingest_batch_rated_dossiers"
# Quarantined rows of these files carry this source_key: the quarantine's retry re-reads them as
# rating or feedback rows (recheck), never as dossier rows (ioc/ingest/quarantine.py).
SOURCE_KEY = "voice"
# A value longer than the limit is kept in quarantine cut short (validate.RAW_VALUE_CHARS): a retry
# would read the cut value, so such rows are not re-run.
NOT_RETRIED = ("value_too_long",)
# Reason of an unknown value -> the mapping kind that teaches it.
# (A yes/no cell's unknown_flag and a marked value name their kind in the reason's detail.)
KIND_OF_REASON = {
    "unknown_rating": "rating",
    "unknown_feedback_channel": "feedback_channel",
    "unknown_outcome": "outcome",
    "unknown_commune": "commune",
    "ambiguous_commune": "commune",
}
MAX_ID_CHARS = 64

_COMMUNE_CODE = ("Mã xã", "Mã xã/phường", "Mã ĐVHC", "Mã đơn vị", "MaXa", "MaDonVi", "commune_code")
_COMMUNE_NAME = (
    "Xã/Phường",
    "Xã phường",
    "Xã, phường",
    "Tên xã",
    "Đơn vị",
    "Đơn vị giải quyết",
    "Đơn vị xử lý",
    "Cơ quan giải quyết",
    "Cơ quan xử lý",
    "commune",
    "commune_name",
)
_PROCEDURE = (
    "Mã thủ tục",
    "Mã TTHC",
    "Mã thủ tục hành chính",
    "MaTTHC",
    "MaThuTuc",
    "procedure_code",
)
# Rating column -> header wordings (compared after aliases.fold).
RATING_ALIASES: dict[str, tuple[str, ...]] = {
    "rating_id": ("Mã đánh giá", "ID đánh giá", "Số phiếu đánh giá", "MaDanhGia", "rating_id"),
    "dossier_id": (
        "Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "Mã HS", "MaHoSo", "SoHoSo", "dossier_id",
    ),
    "commune_code": _COMMUNE_CODE,
    "commune_name": _COMMUNE_NAME,
    "procedure_code": _PROCEDURE,
    "rated_at": (
        "Ngày đánh giá", "Thời gian đánh giá", "Thời điểm đánh giá", "NgayDanhGia", "rated_at",
    ),
    "criterion": (
        "Tiêu chí", "Tiêu chí đánh giá", "Nội dung đánh giá", "Chỉ số đánh giá", "TieuChi",
        "criterion",
    ),
    "level": (
        "Mức độ hài lòng", "Mức hài lòng", "Kết quả đánh giá", "Mức đánh giá", "Đánh giá",
        "Mức độ đánh giá", "MucDoHaiLong", "KetQuaDanhGia", "level",
    ),
    "comment": (
        "Ý kiến", "Ý kiến khác", "Ý kiến góp ý", "Góp ý", "Nhận xét", "Nội dung góp ý", "YKien",
        "comment",
    ),
}  # fmt: skip
# Feedback column -> header wordings.
FEEDBACK_ALIASES: dict[str, tuple[str, ...]] = {
    "feedback_id": (
        "Mã phản ánh", "Mã PAKN", "Số phản ánh", "Mã phản ánh kiến nghị", "Mã kiến nghị",
        "MaPAKN", "MaPhanAnh", "feedback_id",
    ),
    "commune_code": _COMMUNE_CODE,
    "commune_name": (*_COMMUNE_NAME, "Đơn vị tiếp nhận", "Đơn vị được phản ánh"),
    "procedure_code": _PROCEDURE,
    "channel": (
        "Kênh tiếp nhận", "Hình thức tiếp nhận", "Nguồn phản ánh", "Nguồn tiếp nhận", "Kênh",
        "KenhTiepNhan", "channel",
    ),
    "topic": (
        "Chủ đề", "Lĩnh vực phản ánh", "Nhóm phản ánh", "Phân loại", "Loại phản ánh",
        "Nhóm vấn đề", "ChuDe", "topic",
    ),
    "received_at": (
        "Ngày tiếp nhận", "Ngày nhận", "Ngày phản ánh", "Thời gian gửi", "Ngày gửi",
        "NgayTiepNhan", "received_at",
    ),
    "transferred_at": (
        "Ngày chuyển xử lý", "Ngày chuyển", "Ngày giao xử lý", "Ngày chuyển đơn vị",
        "NgayChuyen", "transferred_at",
    ),
    "due_at": ("Hạn trả lời", "Hạn xử lý", "Hạn giải quyết", "HanXuLy", "due_at"),
    "answered_at": (
        "Ngày trả lời", "Ngày xử lý xong", "Ngày hoàn thành", "Ngày phản hồi", "NgayTraLoi",
        "answered_at",
    ),
    "outcome": (
        "Trạng thái", "Kết quả xử lý", "Tình trạng", "Tình trạng xử lý", "TrangThai", "outcome",
    ),
    "likes": ("Lượt thích", "Số lượt thích", "Lượt hài lòng", "likes"),
    "dislikes": ("Lượt không thích", "Số lượt không thích", "Lượt không hài lòng", "dislikes"),
    "rated_unsatisfied": (
        "Đánh giá không hài lòng", "Không hài lòng với trả lời", "Người dân không hài lòng",
        "rated_unsatisfied",
    ),
    "complaint_after": (
        "Khiếu nại", "Có khiếu nại", "Khiếu nại sau trả lời", "Khiếu nại tiếp", "complaint_after",
    ),
    "content": (
        "Nội dung", "Nội dung phản ánh", "Nội dung kiến nghị", "Nội dung PAKN", "Tiêu đề",
        "NoiDung", "content",
    ),
}  # fmt: skip
RATING_HEADER_OF = {fold(a): k for k, names in RATING_ALIASES.items() for a in names}
FEEDBACK_HEADER_OF = {fold(a): k for k, names in FEEDBACK_ALIASES.items() for a in names}

# Checked in this order; a row is quarantined under the first reason it meets.
RATING_REASONS = (
    "value_too_long",
    "no_id",
    "bad_date",
    "no_rated_at",
    "future_date",
    "marked_invalid",
    "ambiguous_value",
    "unknown_rating",
    "unknown_commune",
    "ambiguous_commune",
    "unknown_dossier",
    "rating_conflict",
)
FEEDBACK_REASONS = (
    "value_too_long",
    "bad_date",
    "no_feedback_received",
    "future_date",
    "marked_invalid",
    "ambiguous_value",
    "unknown_feedback_channel",
    "unknown_outcome",
    "unknown_flag",
    "unknown_commune",
    "ambiguous_commune",
    "date_order",
    "no_answer_date",
    "feedback_conflict",
)
RATING_SCHEMA = {
    "rating_id": pl.String,
    "dossier_id": pl.String,
    "commune_code": pl.String,
    "procedure_code": pl.String,
    "rated_at": pl.Datetime("us"),
    "criterion": pl.String,
    "level": pl.String,
    "comment_masked": pl.String,
}
FEEDBACK_SCHEMA = {
    "feedback_id": pl.String,
    "commune_code": pl.String,
    "procedure_code": pl.String,
    "channel": pl.String,
    "topic": pl.String,
    "received_at": pl.Datetime("us"),
    "transferred_at": pl.Datetime("us"),
    "due_at": pl.Datetime("us"),
    "answered_at": pl.Datetime("us"),
    "outcome": pl.String,
    "rated_unsatisfied": pl.Boolean,
    "complaint_after": pl.Boolean,
    "content_masked": pl.String,
}


def is_ratings_file(path: Path) -> bool:
    """A rating export by its header: a dossier id and a rating level."""
    found = header_columns(path, RATING_HEADER_OF)
    return {"dossier_id", "level"} <= found.keys()


def is_feedback_file(path: Path) -> bool:
    """A feedback export by its header: a feedback id, or a content and a topic, and a received
    date; no dossier id (a dossier export's header can name a content too)."""
    found = header_columns(path, FEEDBACK_HEADER_OF)
    if "received_at" not in found:
        return False
    if not ("feedback_id" in found or {"content", "topic"} <= found.keys()):
        return False
    return "dossier_id" not in header_columns(path, RATING_HEADER_OF)


class _Rows:
    """The raw rows of a table with their text values, dates parsed, personal text masked
    (`masked` True: the texts are masked already, as a quarantined row's stored raw values are;
    masking is not repeated)."""

    def __init__(
        self, table, dates: tuple[str, ...], texts: tuple[str, ...], masked: bool = False
    ) -> None:
        self.table = table
        self.cols = table.columns
        self.raw = table.frame.select(pl.all().cast(pl.String))
        self.limit = Limits.from_env().value_chars
        self.dates = {}
        for name in dates:
            if name in self.cols:
                self.dates[name] = normalize.parse_datetimes(self.raw[self.cols[name]])
        mask = (lambda texts: texts) if masked else pii.mask_text
        self.masked = {name: mask(self.raw[self.cols[name]]) for name in texts if name in self.cols}

    def __iter__(self):
        for i, values in enumerate(self.raw.iter_rows(named=True)):
            shown = dict(values)
            for name, masked in self.masked.items():
                if values.get(self.cols[name]) is not None:
                    shown[self.cols[name]] = masked[i] or pii.MASKED
            yield i, int(self.table.row_numbers[i]), values, shown

    def get(self, values: dict, column: str) -> str | None:
        value = values.get(self.cols[column]) if column in self.cols else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    def date(self, name: str, i: int) -> tuple[datetime | None, bool]:
        if name not in self.dates:
            return None, False
        parsed, bad = self.dates[name]
        return parsed[i], bool(bad[i])

    def too_long(self, values: dict, *ids: str | None) -> bool:
        return any(isinstance(v, str) and len(v) > self.limit for v in values.values()) or any(
            i is not None and len(i) > MAX_ID_CHARS for i in ids
        )


def _commune(
    index, rows: _Rows, values: dict, taught: mappings.Taught
) -> tuple[str | None, str | None, str]:
    """(code, problem, text) of the row's commune columns, a commune taught for the text first
    (problem 'invalid' for a text marked invalid); (None, None, '') when it has none."""
    text = rows.get(values, "commune_code") or rows.get(values, "commune_name")
    if text is None:
        return None, None, ""
    code = taught.read("commune", text, lambda _: None)
    if code == mappings.MARKED_INVALID:
        return None, "invalid", text
    if code is not None:
        return code, None, text
    code, problem = index.resolve(text)
    return code, problem, text


def _commune_reason(problem: str | None, text: str) -> tuple[str, dict]:
    """The quarantine reason of a commune text that reads as no commune."""
    if problem == "invalid":
        return "marked_invalid", {"value": text, "kind": "commune"}
    return ("ambiguous_commune" if problem == "ambiguous" else "unknown_commune"), {"value": text}


def _flag(taught: mappings.Taught, text: str | None) -> bool | str | None:
    """A yes/no cell as taught (MARKED_INVALID) or as the vocabulary reads it; None: unknown."""
    found = taught.read(
        "flag", text, lambda t: {True: "true", False: "false"}.get(vocabulary.read_flag(t))
    )
    return {"true": True, "false": False}.get(found, found)


def _future(moment: datetime | None, now: datetime) -> bool:
    return moment is not None and moment > now + validate.FUTURE_SLACK


def _one_per_key(
    rows: list[tuple[int, dict, dict]], key: str, conflict: str
) -> tuple[list[dict], list[tuple]]:
    """One row per key: a row given twice loads once; a key given twice with different values is
    not guessed, every copy of it is quarantined under `conflict`."""
    versions: dict[str, list[dict]] = {}
    for _, _, row in rows:
        versions.setdefault(row[key], []).append(row)
    kept: dict[str, dict] = {}
    rejected = []
    for number, shown, row in rows:
        if all(other == row for other in versions[row[key]]):
            kept.setdefault(row[key], row)
        else:
            rejected.append((number, shown, conflict, {"value": row[key]}))
    return list(kept.values()), rejected


def check_ratings(
    table,
    index: normalize.CommuneIndex,
    dossiers: dict[str, tuple[str, str]],
    now: datetime,
    taught: mappings.Taught | None = None,
    masked: bool = False,
) -> tuple[pl.DataFrame, list[tuple]]:
    """Rating rows to load (RATING_SCHEMA, one per rating_id) and the rejected rows (row number,
    raw values with comments masked, reason code, reason detail). `dossiers`: dossier id ->
    (commune, procedure) of the dossiers the store holds; `taught`: the administrators' mappings,
    read before the vocabulary; `masked`: the comments are masked already (a retry)."""
    taught = taught or mappings.Taught()
    rows = _Rows(table, ("rated_at",), ("comment",), masked)
    cols = rows.cols
    good, rejected = [], []
    for i, number, values, shown in rows:
        dossier = rows.get(values, "dossier_id")
        rated_at, bad_date = rows.date("rated_at", i)
        level_text = rows.get(values, "level")
        level = taught.read("rating", level_text, vocabulary.read_rating)
        code, problem, commune_text = _commune(index, rows, values, taught)
        known = dossiers.get(dossier or "")
        reason, detail = None, {}
        if rows.too_long(values, dossier, rows.get(values, "rating_id")):
            reason, detail = "value_too_long", {"chars": str(rows.limit)}
        elif dossier is None:
            reason = "no_id"
        elif bad_date:
            column = cols["rated_at"]
            reason, detail = "bad_date", {"column": column, "value": rows.get(values, "rated_at")}
        elif rated_at is None:
            reason = "no_rated_at"
        elif _future(rated_at, now):
            reason, detail = "future_date", {"column": cols["rated_at"], "value": str(rated_at)}
        elif level == mappings.MARKED_INVALID:
            reason, detail = "marked_invalid", {"value": level_text, "kind": "rating"}
        elif level == vocabulary.AMBIGUOUS:
            reason, detail = "ambiguous_value", {"column": cols["level"], "value": level_text}
        elif level is None:
            reason, detail = "unknown_rating", {"value": level_text or ""}
        elif commune_text and code is None:
            reason, detail = _commune_reason(problem, commune_text)
        elif code is None and known is None:
            reason, detail = "unknown_dossier", {"value": dossier}
        if reason is not None:
            rejected.append((number, shown, reason, detail))
            continue
        criterion = rows.get(values, "criterion")
        if criterion is not None and vocabulary.words(criterion).strip() in OVERALL_CRITERIA:
            criterion = None
        row = {
            "rating_id": rows.get(values, "rating_id")
            or f"{dossier}|{criterion or ''}|{rated_at:%Y-%m-%dT%H:%M:%S}",
            "dossier_id": dossier,
            "commune_code": code or known[0],
            "procedure_code": rows.get(values, "procedure_code") or (known[1] if known else None),
            "rated_at": rated_at,
            "criterion": " ".join(criterion.split()) if criterion else None,
            "level": level,
            "comment_masked": rows.masked["comment"][i] if "comment" in rows.masked else None,
        }
        good.append((number, shown, row))
    kept, conflicts = _one_per_key(good, "rating_id", "rating_conflict")
    rejected = sorted(rejected + conflicts, key=lambda r: r[0])
    return pl.DataFrame(kept, schema=RATING_SCHEMA, orient="row"), rejected


# A criterion column that names the overall rating ("Tổng thể", "Chung") is the overall row.
OVERALL_CRITERIA = frozenset({"tong the", "chung", "danh gia chung", "tong hop", "overall"})
_WHOLE = r"^\s*\d+(?:[.,]0+)?\s*$"


def _count(text: str | None) -> int | None:
    if text is None:
        return 0
    stripped = text.strip()
    if not pl.Series([stripped]).str.contains(_WHOLE)[0]:
        return None
    return int(float(stripped.replace(",", ".")))


def check_feedback(
    table,
    index: normalize.CommuneIndex,
    now: datetime,
    taught: mappings.Taught | None = None,
    masked: bool = False,
) -> tuple[pl.DataFrame, list[tuple]]:
    """Feedback rows to load (FEEDBACK_SCHEMA, one per feedback_id) and the rejected rows
    (`taught`, `masked` as check_ratings takes them)."""
    taught = taught or mappings.Taught()
    dates = ("received_at", "transferred_at", "due_at", "answered_at")
    rows = _Rows(table, dates, ("content",), masked)
    cols = rows.cols
    good, rejected = [], []
    for i, number, values, shown in rows:
        parsed = {name: rows.date(name, i) for name in dates}
        channel_text = rows.get(values, "channel")
        channel = taught.read("feedback_channel", channel_text, vocabulary.read_feedback_channel)
        outcome_text = rows.get(values, "outcome")
        outcome = taught.read("outcome", outcome_text, vocabulary.read_outcome)
        flags, bad_flag = {}, None
        for name in ("rated_unsatisfied", "complaint_after"):
            text = rows.get(values, name)
            flags[name] = _flag(taught, text)
            if text and not isinstance(flags[name], bool) and bad_flag is None:
                bad_flag = (name, text)
        likes, dislikes = _count(rows.get(values, "likes")), _count(rows.get(values, "dislikes"))
        for name, count in (("likes", likes), ("dislikes", dislikes)):
            if count is None and bad_flag is None:
                bad_flag = (name, rows.get(values, name))
        code, problem, commune_text = _commune(index, rows, values, taught)
        received = parsed["received_at"][0]
        answered = parsed["answered_at"][0]
        bad = next((n for n in dates if parsed[n][1]), None)
        future = next((n for n in dates if n != "due_at" and _future(parsed[n][0], now)), None)
        if outcome is None and answered is not None and not outcome_text:
            outcome = "answered"  # an answer date and no state: answered
        reason, detail = None, {}
        if rows.too_long(values, rows.get(values, "feedback_id")):
            reason, detail = "value_too_long", {"chars": str(rows.limit)}
        elif bad:
            reason, detail = "bad_date", {"column": cols[bad], "value": rows.get(values, bad)}
        elif received is None:
            reason = "no_feedback_received"
        elif future:
            reason, detail = (
                "future_date",
                {"column": cols[future], "value": str(parsed[future][0])},
            )
        elif channel == mappings.MARKED_INVALID:
            reason, detail = "marked_invalid", {"value": channel_text, "kind": "feedback_channel"}
        elif outcome == mappings.MARKED_INVALID:
            reason, detail = "marked_invalid", {"value": outcome_text, "kind": "outcome"}
        elif vocabulary.AMBIGUOUS in (channel, outcome):
            column = "channel" if channel == vocabulary.AMBIGUOUS else "outcome"
            reason = "ambiguous_value"
            detail = {"column": cols[column], "value": rows.get(values, column)}
        elif channel_text and channel is None:
            reason, detail = "unknown_feedback_channel", {"value": channel_text}
        elif outcome_text and outcome is None:
            reason, detail = "unknown_outcome", {"value": outcome_text}
        elif bad_flag and flags.get(bad_flag[0]) == mappings.MARKED_INVALID:
            reason, detail = "marked_invalid", {"value": bad_flag[1], "kind": "flag"}
        elif bad_flag:
            reason, detail = "unknown_flag", {"column": cols[bad_flag[0]], "value": bad_flag[1]}
            if bad_flag[0] in flags:  # a yes/no an administrator can map (a like count is not)
                detail["kind"] = "flag"
        elif code is None:
            reason, detail = _commune_reason(problem, commune_text)
        elif answered is not None and answered < received:
            reason = "date_order"
            detail = {
                "column": cols["answered_at"],
                "value": rows.get(values, "answered_at"),
                "before": f"{cols['received_at']} {rows.get(values, 'received_at')}",
            }
        elif outcome in vocabulary.FEEDBACK_OUTCOMES and answered is None:
            reason, detail = "no_answer_date", {"value": outcome_text or ""}
        if reason is not None:
            rejected.append((number, shown, reason, detail))
            continue
        if outcome == "open":
            outcome = None
        unsatisfied = flags["rated_unsatisfied"]
        if rows.get(values, "likes") or rows.get(values, "dislikes"):
            by_votes = (dislikes or 0) > (likes or 0)
            unsatisfied = by_votes if unsatisfied is None else unsatisfied or by_votes
        content = rows.masked["content"][i] if "content" in rows.masked else None
        topic = rows.get(values, "topic")
        row = {
            "feedback_id": rows.get(values, "feedback_id")
            or _derived_id(code, received, content, topic),
            "commune_code": code,
            "procedure_code": rows.get(values, "procedure_code"),
            "channel": channel,
            "topic": " ".join(topic.split()) if topic else None,
            "received_at": received,
            "transferred_at": parsed["transferred_at"][0],
            "due_at": parsed["due_at"][0],
            "answered_at": answered,
            "outcome": outcome,
            "rated_unsatisfied": unsatisfied,
            "complaint_after": flags["complaint_after"],
            "content_masked": content,
        }
        good.append((number, shown, row))
    kept, conflicts = _one_per_key(good, "feedback_id", "feedback_conflict")
    rejected = sorted(rejected + conflicts, key=lambda r: r[0])
    return pl.DataFrame(kept, schema=FEEDBACK_SCHEMA, orient="row"), rejected


def _derived_id(code: str, received: datetime, content: str | None, topic: str | None) -> str:
    """The id of a feedback item its export gives none: its commune, time and text."""
    text = f"{code}|{received:%Y-%m-%dT%H:%M:%S}|{topic or ''}|{content or ''}"
    return "auto:" + hashlib.sha256(text.encode()).hexdigest()[:16]


def _quarantine(rejected: list[tuple]) -> pl.DataFrame:
    """The quarantine rows of rejected rows, each with the value an administrator can map
    (problem_kind, problem_value; null for a defect no mapping mends), as dossier rows carry it."""
    problems = []
    for _, _, code, detail in rejected:
        kind, value = detail.get("kind") or KIND_OF_REASON.get(code), detail.get("value")
        problems.append((kind, value) if kind and value else (None, None))
    return validate.rejected_frame(rejected).with_columns(
        pl.lit(SOURCE_KEY).alias("source_key"),
        pl.Series("problem_kind", [k for k, _ in problems], pl.String),
        pl.Series("problem_value", [v for _, v in problems], pl.String),
    )


def _read(path: Path, header_of: dict) -> object:
    table = read_table(path, header_of)
    if table.frame.height == 0:
        raise ReadError("a header but no data rows: nothing to import")
    return table


# The queries writing each kind: (counts, delete the keys brought, insert).
WRITES = {
    "ratings": ("ingest_ratings_counts", "ingest_delete_ratings", "ingest_insert_ratings"),
    "feedback": ("ingest_feedback_counts", "ingest_delete_feedback", "ingest_insert_feedback"),
}


def _write(
    result: RunResult, frame: pl.DataFrame, quarantine: pl.DataFrame, name: str, kind: str
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    counts_query, delete_query, insert_query = WRITES[kind]

    def write(con: duckdb.DuckDBPyConnection) -> None:
        with load.registered(con, name, frame):
            counts = execute(con, counts_query).row(0, named=True)
            result.rows_inserted, result.rows_updated = counts["inserted"], counts["updated"]
            execute(con, delete_query)
            execute(con, insert_query, run_id=result.run_id, source_file=result.source_file)
        load.write_quarantine(con, result, quarantine)

    return write


def kind_of(path: Path) -> str | None:
    """'ratings', 'feedback', or None: how the import reads the file."""
    if is_ratings_file(path):
        return "ratings"
    if is_feedback_file(path):
        return "feedback"
    return None


def checked_table(
    con: duckdb.DuckDBPyConnection,
    table: RawTable,
    kind: str,
    province: str | None,
    masked: bool = False,
    index: normalize.CommuneIndex | None = None,
    taught: mappings.Taught | None = None,
) -> tuple[pl.DataFrame, list[tuple]]:
    """The rows to load and the rejected rows of a rating or feedback table (`kind`), checked
    against the store (communes, the rated dossiers) and today's mappings; `masked`: the table's
    personal texts are masked already (a quarantined row's stored raw values). `index` and
    `taught`: the store's, read once by a caller checking many tables."""
    if index is None:
        index = normalize.CommuneIndex.from_store(con, province)
    if taught is None:
        taught = mappings.Taught.from_store(con)
    if kind == "feedback":
        return check_feedback(table, index, config.now(), taught, masked)
    ids = table.frame[table.columns["dossier_id"]].cast(pl.String).str.strip_chars()
    with load.registered(con, DOSSIERS_FRAME, pl.DataFrame({"dossier_id": ids.drop_nulls()})):
        held = execute(con, "ingest_rated_dossiers")
    dossiers = {
        d: (c, p) for d, c, p in held.select("dossier_id", "commune_code", "procedure_code").rows()
    }
    return check_ratings(table, index, dossiers, config.now(), taught, masked)


def _checked(
    con: duckdb.DuckDBPyConnection, path: Path, kind: str, province: str | None
) -> tuple[int, pl.DataFrame, list[tuple]]:
    """Rows read, the rows to load and the rejected rows of a rating or feedback export."""
    table = _read(path, FEEDBACK_HEADER_OF if kind == "feedback" else RATING_HEADER_OF)
    frame, rejected = checked_table(con, table, kind, province)
    return table.frame.height, frame, rejected


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():  # NaN and inf are not
        return str(int(value))
    return str(value)


def retry_table(group: pl.DataFrame) -> tuple[str, RawTable]:
    """The open quarantined rows of one rating or feedback import (raw_values, row_number) as
    the table they came from, and its kind told by the header as the import tells it."""
    records = [json.loads(r) for r in group["raw_values"]]
    headers = list(dict.fromkeys(h for r in records for h in r))
    frame = pl.DataFrame(
        {h: [_cell(r.get(h)) for r in records] for h in headers},
        schema=dict.fromkeys(headers, pl.String),
    )
    columns = match_headers(headers, RATING_HEADER_OF)
    kind = "ratings"
    if not {"dossier_id", "level"} <= columns.keys():
        kind, columns = "feedback", match_headers(headers, FEEDBACK_HEADER_OF)
    if "settled_commune" in group.columns and group["settled_commune"].is_not_null().any():
        # the commune an administrator picked for a row (a split old unit) stands for its text
        settled = group["settled_commune"]
        frame = frame.with_columns(
            pl.when(settled.is_not_null()).then(settled).otherwise(pl.col(h)).alias(h)
            for c in ("commune_code", "commune_name")
            if (h := columns.get(c))
        )
    return kind, RawTable(frame, columns, group["row_number"].cast(pl.Int64))


def recheck(
    con: duckdb.DuckDBPyConnection,
    group: pl.DataFrame,
    province: str | None,
    index: normalize.CommuneIndex | None = None,
    taught: mappings.Taught | None = None,
) -> tuple[str, pl.DataFrame, pl.DataFrame]:
    """One import's open quarantined rows checked again as the import checks them (today's
    mappings, communes and dossiers): (kind, rows to load, quarantine rows of those still
    rejected, with their current reason and problem value)."""
    kind, table = retry_table(group)
    frame, rejected = checked_table(con, table, kind, province, True, index, taught)
    return kind, frame, _quarantine(rejected)


def write_rows(
    con: duckdb.DuckDBPyConnection, result: RunResult, frame: pl.DataFrame, kind: str
) -> None:
    """Upsert checked rating or feedback rows of a retry (no quarantine rows: the retry keeps the
    rows still rejected where they are), in the caller's transaction."""
    empty = _quarantine([])
    _write(result, frame, empty, FRAMES[kind], kind)(con)


FRAMES = {"ratings": RATINGS_FRAME, "feedback": FEEDBACK_FRAME}


def prepare(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    result: RunResult,
    kind: str,
    province: str | None = None,
) -> Callable[[duckdb.DuckDBPyConnection], None]:
    """Read and check a rating or feedback export (`kind`); return the writer to run inside the
    import's transaction."""
    rows_read, frame, rejected = _checked(con, path, kind, province)
    result.kind = kind
    result.rows_read = rows_read
    result.rows_quarantined = len(rejected)
    return _write(result, frame, _quarantine(rejected), FRAMES[kind], kind)


def preview(
    con: duckdb.DuckDBPyConnection, path: Path, kind: str, province: str | None = None
) -> dict:
    """The dry run of a rating or feedback import, nothing written: rows read, to insert, to
    update, unchanged, the quarantine's reasons (code -> rows) with one example each, and the
    values a mapping could teach with their rows."""
    rows_read, frame, rejected = _checked(con, path, kind, province)
    with load.registered(con, FRAMES[kind], frame):
        counts = execute(con, WRITES[kind][0]).row(0, named=True)
    quarantine = _quarantine(rejected)
    found = validate.dry_run(rows_read, frame.height, counts, quarantine)
    return {**found, "unmapped": validate.unmapped(quarantine)}
