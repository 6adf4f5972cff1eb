"""The one translation table, and vi-VN / en formats for numbers, percentages and dates.

Every word on screen goes through `t(key)`. Vietnamese is the default; English is a switch.
Keys are grouped by prefix (nav., kpi., filter., page.<name>.). Add a key in both languages.
"""

from __future__ import annotations

from datetime import date, datetime

LANGS = ("vi", "en")
DASH = "—"

TEXT: dict[str, tuple[str, str]] = {
    # app shell
    "app.title": ("Trung tâm điều hành IOC", "IOC operations centre"),
    "app.language": ("Ngôn ngữ", "Language"),
    "app.data_updated": ("Dữ liệu cập nhật lúc {at}", "Data updated at {at}"),
    "app.data_stale": (
        "Dữ liệu đã cũ {minutes} phút",
        "Data is {minutes} minutes old",
    ),
    "app.no_data": ("Chưa có dữ liệu", "No data yet"),
    "app.building_demo": (
        "Đang tạo dữ liệu mẫu Hà Nội (lần chạy đầu tiên)…",
        "Building the Hanoi demo data (first run)…",
    ),
    "app.demo_mode": ("Chế độ dữ liệu mẫu", "Demo data mode"),
    # navigation
    "nav.overview": ("Tổng quan", "Overview"),
    "nav.group.monitor": ("Điều hành", "Operations"),
    "nav.group.admin": ("Quản trị", "Administration"),
    # filters
    "filter.header": ("Bộ lọc", "Filters"),
    "filter.period": ("Khoảng thời gian", "Period"),
    "filter.period.today": ("Hôm nay", "Today"),
    "filter.period.7d": ("7 ngày qua", "Last 7 days"),
    "filter.period.month": ("Tháng này", "This month"),
    "filter.period.since_start": ("Từ 01/07/2025", "Since 01/07/2025"),
    "filter.period.custom": ("Tùy chọn", "Custom"),
    "filter.date_range": ("Từ ngày – đến ngày", "From – to"),
    "filter.commune": ("Xã/phường", "Commune/ward"),
    "filter.commune.all": ("Toàn thành phố", "Whole city"),
    "filter.field": ("Lĩnh vực", "Field"),
    "filter.field.all": ("Tất cả lĩnh vực", "All fields"),
    # KPI names
    "kpi.received": ("Hồ sơ tiếp nhận", "Dossiers received"),
    "kpi.online_rate": ("Tỷ lệ trực tuyến", "Online rate"),
    "kpi.end_to_end_rate": ("Tỷ lệ trực tuyến toàn trình", "End-to-end online rate"),
    "kpi.end_to_end_eligible_rate": (
        "Toàn trình / thủ tục đủ điều kiện",
        "End-to-end among eligible procedures",
    ),
    "kpi.on_time_rate": ("Tỷ lệ giải quyết đúng hạn", "On-time resolution rate"),
    "kpi.open_overdue": ("Hồ sơ quá hạn đang xử lý", "Open overdue dossiers"),
    "kpi.open_due_soon": ("Sắp đến hạn", "Due soon"),
    "kpi.open_at_end": ("Hồ sơ đang xử lý", "Open dossiers"),
    "kpi.online_payment_rate": ("Tỷ lệ thanh toán trực tuyến", "Online payment rate"),
    "kpi.digitized_rate": ("Tỷ lệ số hóa hồ sơ", "Digitised dossiers rate"),
    "kpi.resolved": ("Hồ sơ đã giải quyết", "Dossiers resolved"),
    "kpi.progress_rate": ("Tỷ lệ đúng tiến độ", "Progress rate"),
    "kpi.score": ("Điểm phục vụ (ước tính QĐ 766)", "Service score (Decision 766 estimate)"),
    "kpi.median_days_to_resolve": ("Số ngày giải quyết (trung vị)", "Median days to resolve"),
    "kpi.vs_previous": ("so với kỳ trước", "vs previous period"),
    "kpi.target": ("Mục tiêu", "Target"),
    "unit.pp": ("điểm %", "pp"),
    "light.green": ("Đạt", "Met"),
    "light.amber": ("Gần đạt", "Close"),
    "light.red": ("Chưa đạt", "Not met"),
    "light.none": ("Không có dữ liệu", "No data"),
    # overview page
    "overview.title": ("Tổng quan thành phố", "City overview"),
    "overview.trend": (
        "Xu hướng theo ngày: tỷ lệ trực tuyến và toàn trình",
        "Daily trend: online and end-to-end rates",
    ),
    "overview.lights": ("Số xã/phường theo mức đạt mục tiêu", "Communes by target status"),
    "overview.date": ("Ngày", "Date"),
    "overview.rate": ("Tỷ lệ", "Rate"),
    "overview.communes": ("Số xã/phường", "Communes"),
    "overview.metric": ("Chỉ tiêu", "Metric"),
}


def t(key: str, lang: str = "vi", **values: object) -> str:
    """Text for a key in a language, with {placeholders} filled; the key itself when missing."""
    pair = TEXT.get(key)
    text = key if pair is None else pair[1 if lang == "en" else 0]
    return text.format(**values) if values else text


def fmt_number(value: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """1.234,5 in Vietnamese, 1,234.5 in English; "—" for no value."""
    if value is None:
        return DASH
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_pct(rate: float | None, lang: str = "vi", decimals: int = 1) -> str:
    """A rate 0..1 as a percentage (85,3%); "—" when the rate has no denominator."""
    if rate is None:
        return DASH
    return fmt_number(rate * 100, lang, decimals) + "%"


def fmt_date(value: date | datetime | None, lang: str = "vi") -> str:
    """dd/mm/yyyy in both languages (the dashboard's users read Vietnamese dates)."""
    if value is None:
        return DASH
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value: datetime | None, lang: str = "vi") -> str:
    """HH:MM dd/mm/yyyy."""
    if value is None:
        return DASH
    return value.strftime("%H:%M %d/%m/%Y")
