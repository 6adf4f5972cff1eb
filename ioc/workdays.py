"""Working days in Vietnam: weekends and public holidays (Labour Code 2019, art. 112).

Statutory processing times count working days, so due dates skip these. The list covers the
period of the demo and the dashboard (2025-2027); the days off are the ones the government
announced for each year, and a deployment can extend HOLIDAYS when a new year is announced.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta


def _days(start: date, end: date) -> set[date]:
    return {start + timedelta(n) for n in range((end - start).days + 1)}


HOLIDAYS: frozenset[date] = frozenset(
    {date(2025, 1, 1)}
    | _days(date(2025, 1, 25), date(2025, 2, 2))  # Tết Ất Tỵ
    | {date(2025, 4, 7)}  # Giỗ Tổ Hùng Vương
    | _days(date(2025, 4, 30), date(2025, 5, 2))
    | _days(date(2025, 9, 1), date(2025, 9, 2))  # Quốc khánh
    | {date(2026, 1, 1), date(2026, 1, 2)}
    | _days(date(2026, 2, 14), date(2026, 2, 22))  # Tết Bính Ngọ
    | {date(2026, 4, 27)}  # Giỗ Tổ Hùng Vương (26/4 falls on a Sunday)
    | _days(date(2026, 4, 30), date(2026, 5, 1))
    | _days(date(2026, 9, 1), date(2026, 9, 2))
    | {date(2027, 1, 1)}
    | _days(date(2027, 2, 5), date(2027, 2, 11))  # Tết Đinh Mùi
    | {date(2027, 4, 16), date(2027, 4, 30), date(2027, 5, 1)}
    | _days(date(2027, 9, 1), date(2027, 9, 2))
)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday."""
    return day.weekday() < 5 and day not in HOLIDAYS


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(1)
    while not is_working_day(day):
        day += timedelta(1)
    return day


def add_working_days(start: datetime, days: float) -> datetime:
    """Due time for a dossier received at `start` with a statutory time of `days` working days.

    0 days = the same working day (end of office hours). Fractions round up to whole days, as
    one-stop desks do; the due time is the end of the office day (17:00).
    """
    day = start.date()
    if not is_working_day(day):
        day = next_working_day(day)
    whole = int(-(-days // 1))
    for _ in range(whole):
        day = next_working_day(day)
    return datetime.combine(day, time(17, 0))
