"""The metric registry: every figure of kpi.md declared once, with what the pages do with it.

Cards, the league table's rate columns, the map's choices, the forecasts, the targets page, the
score, the `ioc kpi` columns and the number formats are all read from METRICS, so that

- a new rate over counts the store already has is one entry here, its label `kpi.<name>` in
  ioc/i18n.py and a hand-computed test;
- a new count is one entry here plus its definition in a queries/rollup_*_refresh.sql file and
  its column in ioc/rollups.sql (queries/kpi_counts.sql adds every rollup count up as it comes, and
  a store whose rollup definitions changed rebuilds them when it is opened).

The order of METRICS is the order the pages show them in.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a metric is shown (Metric.places).
OVERVIEW = "overview"  # a card of Tổng quan
COMMUNE = "commune"  # a card of the commune page
MAP = "map"  # a choice of Bản đồ chỉ số
LEAGUE = "league"  # a rate column (with its light when targeted) of Xếp hạng
FORECAST = "forecast"  # a 4-week forecast of the commune page and the presenter's slide
PLACES = (OVERVIEW, COMMUNE, MAP, LEAGUE, FORECAST)
KINDS = ("count", "rate", "score", "days")
# Everywhere: the targeted rates of Hanoi's KPI and the on-time rate.
HEADLINE = (OVERVIEW, COMMUNE, MAP, LEAGUE, FORECAST)


@dataclass(frozen=True)
class ScoreGroup:
    """A group of the commune service score (kpi.md): `points` at most, earned as the rate
    reaches `target` (None: the target in force for the rate); `order` among the groups."""

    group: str
    points: float
    target: float | None
    order: int


@dataclass(frozen=True)
class Metric:
    name: str
    kind: str  # one of KINDS
    # a rate: numerator / denominator, both count names (progress_rate is derived in kpi.py)
    numerator: str | None = None
    denominator: str | None = None
    lower_is_better: bool = False  # a rise is bad news (open overdue dossiers)
    targeted: bool = False  # an admin can set a target; it gets a traffic light
    default_target: float | None = None  # when no target row is in force
    score: ScoreGroup | None = None
    places: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        return f"kpi.{self.name}"


def _count(name: str, *places: str, lower_is_better: bool = False) -> Metric:
    return Metric(name, "count", lower_is_better=lower_is_better, places=places)


def _rate(name: str, numerator: str, denominator: str, *places: str, **options) -> Metric:
    return Metric(name, "rate", numerator, denominator, places=places, **options)


METRICS: tuple[Metric, ...] = (
    Metric("score", "score", places=(COMMUNE, MAP)),
    _count("received", OVERVIEW, COMMUNE, MAP),
    _count("received_online"),
    _count("received_end_to_end"),
    _count("received_full_level"),
    _count("received_with_fee"),
    _count("received_paid_online"),
    _count("received_digitized"),
    _count("received_postal"),
    _count("resolved"),
    _count("resolved_on_time"),
    _count("resolved_early"),
    _count("resolved_late"),
    _count("no_due_date"),
    _count("open_at_end"),
    _count("open_due_soon"),
    Metric("median_days_to_resolve", "days"),
    _rate(
        "online_rate",
        "received_online",
        "received",
        *HEADLINE,
        targeted=True,
        default_target=0.80,
        score=ScoreGroup("online", 6.0, None, 2),
    ),
    _rate(
        "end_to_end_rate",
        "received_end_to_end",
        "received",
        *HEADLINE,
        targeted=True,
        default_target=0.20,
        score=ScoreGroup("end_to_end", 6.0, None, 3),
    ),
    _rate("end_to_end_eligible_rate", "received_end_to_end", "received_full_level"),
    _rate(
        "on_time_rate",
        "resolved_on_time",
        "resolved",
        *HEADLINE,
        targeted=True,
    ),
    Metric(
        "progress_rate",
        "rate",
        places=(COMMUNE, MAP),
        score=ScoreGroup("progress", 20.0, 1.00, 1),
    ),
    _rate(
        "online_payment_rate",
        "received_paid_online",
        "received_with_fee",
        OVERVIEW,
        COMMUNE,
        MAP,
        targeted=True,
        score=ScoreGroup("online_payment", 10.0, 0.80, 4),
    ),
    _rate(
        "digitized_rate",
        "received_digitized",
        "received",
        OVERVIEW,
        COMMUNE,
        MAP,
        targeted=True,
        score=ScoreGroup("digitization", 22.0, 0.80, 5),
    ),
    # the worked example of the module docstring: one count, one rate
    _rate("postal_rate", "received_postal", "received", COMMUNE, MAP),
    _count("open_overdue", OVERVIEW, COMMUNE, MAP, lower_is_better=True),
    # the citizen's voice (issue 18, docs/citizen-voice.md): counts of queries/voice_counts.sql
    _count("rated"),
    _count("ratings"),
    _count("ratings_satisfied"),
    _count("ratings_not_satisfied"),
    _count("feedback_answered"),
    _count("feedback_answered_on_time"),
    _rate("satisfied_share", "ratings_satisfied", "ratings", OVERVIEW, COMMUNE, MAP, LEAGUE),
    _rate("rated_share", "rated", "resolved", OVERVIEW, COMMUNE, MAP, LEAGUE),
    _rate(
        "feedback_on_time_rate",
        "feedback_answered_on_time",
        "feedback_answered",
        OVERVIEW,
        COMMUNE,
        MAP,
        LEAGUE,
    ),
    _count("feedback_received", COMMUNE),
    _count("feedback_open", OVERVIEW, COMMUNE, MAP, lower_is_better=True),
    _count("feedback_overdue", OVERVIEW, COMMUNE, MAP, lower_is_better=True),
)
# The counts of queries/voice_counts.sql (the others add up from the rollups in kpi_counts.sql).
VOICE_COUNTS = (
    "rated",
    "ratings",
    "ratings_satisfied",
    "ratings_not_satisfied",
    "feedback_received",
    "feedback_answered",
    "feedback_answered_on_time",
    "feedback_open",
    "feedback_overdue",
)

BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}


def uses_voice(name: str) -> bool:
    """Whether a metric is counted from the citizen's voice (queries/voice_counts.sql)."""
    spec = BY_NAME[name]
    return bool({spec.name, spec.numerator, spec.denominator} & set(VOICE_COUNTS))


def names(*, kind: str | None = None, place: str | None = None) -> tuple[str, ...]:
    """The metrics of a kind and/or shown in a place, in display order."""
    return tuple(
        m.name
        for m in METRICS
        if (kind is None or m.kind == kind) and (place is None or place in m.places)
    )


def kind_of(name: str) -> str | None:
    """A metric's kind; the league's group points (points_<group>) are scores too."""
    metric = BY_NAME.get(name)
    if metric is not None:
        return metric.kind
    return "score" if name.startswith("points_") else None
