"""ioc/charts.py builds its figures from plain specs without Plotly's per-property check (issue
21). Each chart built that way must still be a valid Plotly figure (Plotly's checking constructor
takes it as it is) and show the hand-computed values of small hand-made frames."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import polars as pl
import pytest

from ioc import charts

DAYS = [date(2025, 10, d) for d in (1, 2, 3)]
RATES = pl.DataFrame(
    {
        "day": DAYS,
        "online_rate": [0.5, None, 0.75],
        "end_to_end_rate": [0.25, 0.5, None],
        "city_median_online_rate": [0.4, 0.4, 0.6],
        "city_median_end_to_end_rate": [0.2, None, 0.3],
    }
)


def checked(fig: go.Figure) -> go.Figure:
    """The figure rebuilt through Plotly's checking constructor: it raises on any property Plotly
    does not know or any value of the wrong kind; the rebuilt figure must be the same."""
    again = go.Figure(fig.to_dict())
    assert again.to_dict() == fig.to_dict()
    return fig


def test_rate_trend_draws_percent_lines_and_the_target_line():
    fig = checked(
        charts.rate_trend(RATES, "day", ["online_rate", "end_to_end_rate"], {"online_rate": 0.8})
    )
    assert [trace.name for trace in fig.data] == [
        "Tỷ lệ trực tuyến",
        "Tỷ lệ trực tuyến · Mục tiêu 80%",
        "Tỷ lệ trực tuyến toàn trình",
    ]
    assert fig.data[0].y == (50.0, None, 75.0)
    assert fig.data[1].y == (80.0, 80.0, 80.0)
    assert fig.data[1].line.dash == "dash"
    assert fig.data[2].y == (25.0, 50.0, None)
    assert fig.layout.yaxis.range == (0, 100)
    assert fig.layout.separators == ",."


def test_trend_vs_median_adds_the_dotted_city_median_and_markers():
    fig = checked(charts.trend_vs_median(RATES, "day", ["online_rate"], {"online_rate": 0.8}, "en"))
    assert [(trace.name, trace.mode) for trace in fig.data] == [
        ("Online rate", "lines+markers"),
        ("Online rate · Target 80%", "lines"),
        ("Online rate · city median", "lines"),
    ]
    assert fig.data[2].y == (40.0, 40.0, 60.0)
    assert fig.data[2].line.dash == "dot"


def test_light_bars_leave_out_a_colour_no_rate_has():
    counts = pl.DataFrame(
        {
            "metric": ["online_rate"] * 3,
            "light": ["green", "amber", "red"],
            "communes": [3, 0, 2],
        }
    )
    fig = checked(charts.light_bars(counts))
    assert [trace.name for trace in fig.data] == ["Đạt", "Chưa đạt"]
    assert [trace.x for trace in fig.data] == [(3,), (2,)]
    assert [trace.marker.color for trace in fig.data] == ["#2e7d32", "#c62828"]


def test_commune_bars_sorted_without_the_communes_lacking_a_rate():
    frame = pl.DataFrame(
        {
            "commune_name": ["A", "B", "C"],
            "online_rate": [0.5, None, 0.9],
            "light_online_rate": ["amber", None, "green"],
        }
    )
    fig = checked(charts.commune_bars(frame, "online_rate", 0.75, "light_online_rate"))
    assert fig.data[0].x == ("C", "A")
    assert fig.data[0].y == (0.9, 0.5)
    assert fig.data[0].marker.color == ("#2e7d32", "#f9a825")
    assert fig.layout.shapes[0].y0 == 0.75 and fig.layout.shapes[0].xref == "x domain"
    assert fig.layout.annotations[0].text == "Mục tiêu 75%"
    assert not checked(charts.commune_bars(frame, "online_rate", None)).layout.shapes


def test_hourly_flow_leaves_out_an_empty_series():
    frame = pl.DataFrame(
        {
            "hour": [8, 9],
            "received": [2, None],
            "resolved": [0, 0],
            "usual_received": [1.5, 2.0],
            "usual_resolved": [0.5, 1.0],
        }
    )
    fig = checked(charts.hourly_flow(frame))
    assert [(trace.type, trace.name) for trace in fig.data] == [
        ("bar", "Tiếp nhận"),
        ("scatter", "Tiếp nhận thường lệ"),
        ("scatter", "Giải quyết thường lệ"),
    ]
    assert fig.data[0].x == ("08h", "09h")


@pytest.mark.parametrize("top", [2, 5])
def test_procedure_mix_puts_the_rest_in_one_bar(top):
    mix = pl.DataFrame({"procedure_name": ["Một", "Hai", "Ba", "Bốn"], "received": [10, 6, 3, 1]})
    fig = checked(charts.procedure_mix(mix, top=top))
    if top == 2:  # 3 + 1 received in the other two procedures
        assert fig.data[0].y == ("Các thủ tục khác", "Hai", "Một")
        assert fig.data[0].x == (4, 6, 10)
    else:
        assert fig.data[0].x == (1, 3, 6, 10)


def test_a_shared_figure_gives_the_figure_s_own_dict_made_once():
    fig = charts.rate_trend(RATES, "day", ["online_rate"], {"online_rate": 0.8})
    spec = fig.to_dict()
    shared = charts.shared(fig)
    assert shared.to_dict() == spec
    assert shared.to_dict() is shared.to_dict()  # not copied again on every view
    assert shared.data[0].y == (50.0, None, 75.0)
    assert charts.shared("a table") == "a table"  # anything else as it is
