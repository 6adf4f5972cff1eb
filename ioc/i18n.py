"""The one translation table, and vi-VN / en formats for numbers, percentages and dates.

Every word on screen goes through `t(key)`. Vietnamese is the default; English is a switch.
Keys are grouped by prefix (nav., kpi., filter., page.<name>.). Add a key in both languages.
"""

from __future__ import annotations

import os
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
    "app.worker_never": (
        "Chưa có bộ nhập dữ liệu (ioc worker) nào chạy: dữ liệu mới chưa được nhập, hãy báo quản trị",
        "No import worker (ioc worker) has run: new data is not imported; tell the administrator",
    ),
    "app.worker_down": (
        "Bộ nhập dữ liệu (ioc worker) ngừng từ {at}: dữ liệu mới chưa được nhập, hãy báo quản trị",
        "The import worker (ioc worker) stopped at {at}: new data is not imported; tell the "
        "administrator",
    ),
    "app.no_data": ("Chưa có dữ liệu", "No data yet"),
    "app.title_of": ("{title} · {commune}", "{title} · {commune}"),
    "writes.unavailable": (
        "Chưa lưu được: bộ ghi dữ liệu (ioc worker) không chạy, nên tạm thời không ghi được gì; "
        "các trang vẫn xem được bình thường. Hãy báo quản trị.",
        "Not saved: the data writer (ioc worker) is not running, so nothing can be saved for now; "
        "every page can still be viewed. Tell the administrator.",
    ),
    "app.error": (
        "Đã xảy ra lỗi khi hiển thị trang này. Vui lòng thử lại; nếu vẫn lỗi, báo quản trị viên.",
        "Something went wrong showing this page. Please try again; if it persists, tell the "
        "administrator.",
    ),
    "table.download": ("Tải bảng (Excel)", "Download the table (Excel)"),
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
    "kpi.postal_rate": ("Tỷ lệ nộp qua bưu chính", "Postal submission rate"),
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
    "overview.title_of": ("Tổng quan {commune}", "Overview: {commune}"),
    "overview.trend": (
        "Xu hướng theo ngày: tỷ lệ trực tuyến và toàn trình",
        "Daily trend: online and end-to-end rates",
    ),
    "overview.lights": ("Số xã/phường theo mức đạt mục tiêu", "Communes by target status"),
    "overview.date": ("Ngày", "Date"),
    "overview.rate": ("Tỷ lệ", "Rate"),
    "overview.communes": ("Số xã/phường", "Communes"),
    "overview.metric": ("Chỉ tiêu", "Metric"),
    # league
    "nav.league": ("Xếp hạng", "League table"),
    "league.title": ("Xếp hạng xã/phường", "Commune league table"),
    "league.caption": (
        "Điểm phục vụ ước tính theo QĐ 766 từ các nhóm tính được từ hồ sơ; nhóm không có dữ liệu "
        "được loại khỏi cả tử số và mẫu số.",
        "Service score estimated from the Decision 766 groups that dossiers show; a group without "
        "data is left out of both sums.",
    ),
    "league.search": ("Tìm xã/phường", "Find a commune"),
    "league.sort": ("Sắp xếp theo", "Sort by"),
    "league.descending": ("Giảm dần", "Descending"),
    "league.thin": ("ít dữ liệu", "thin data"),
    "league.thin_note": (
        "{n} xã/phường có dưới 30 hồ sơ trong kỳ (ít dữ liệu): vẫn xếp hạng nhưng cần thận trọng.",
        "{n} communes received fewer than 30 dossiers (thin data): ranked, but read with care.",
    ),
    "league.left_out_note": (
        "{n} xã/phường có nhóm điểm bị loại vì không có dữ liệu (xem cột «Nhóm bị loại»).",
        "{n} communes have score groups left out for lack of data (see «Groups left out»).",
    ),
    "league.count": ("{shown}/{total} xã/phường", "{shown}/{total} communes"),
    "league.open": ("Mở trang xã/phường", "Open the commune page"),
    "league.open_hint": (
        "Chọn một dòng trong bảng để mở trang chi tiết của xã/phường.",
        "Select a row to open the commune's page.",
    ),
    "league.download": ("Tải bảng xếp hạng (Excel)", "Download the league table (Excel)"),
    "league.chart": ("So sánh với mục tiêu", "Against the target"),
    "league.chart_metric": ("Chỉ tiêu", "Metric"),
    "league.col.rank": ("Hạng", "Rank"),
    "league.col.rank_change": ("Thay đổi hạng", "Rank change"),
    "league.col.commune_code": ("Mã xã/phường", "Commune code"),
    "league.col.commune_name": ("Xã/phường", "Commune"),
    "league.col.score": ("Điểm (/100)", "Score (/100)"),
    "league.col.points_progress": ("Tiến độ (/20)", "Progress (/20)"),
    "league.col.points_online": ("Trực tuyến (/6)", "Online (/6)"),
    "league.col.points_end_to_end": ("Toàn trình (/6)", "End-to-end (/6)"),
    "league.col.points_online_payment": ("Thanh toán TT (/10)", "Online payment (/10)"),
    "league.col.points_digitization": ("Số hóa (/22)", "Digitisation (/22)"),
    "league.col.received": ("Tiếp nhận", "Received"),
    "league.col.score_change": ("Thay đổi điểm", "Score change"),
    "league.col.light_online_rate": ("Mục tiêu trực tuyến", "Online target"),
    "league.col.light_end_to_end_rate": ("Mục tiêu toàn trình", "End-to-end target"),
    "league.col.light_on_time_rate": ("Mục tiêu đúng hạn", "On-time target"),
    "league.col.thin_data": ("Ghi chú", "Note"),
    "league.col.groups_left_out": ("Nhóm bị loại", "Groups left out"),
    "group.progress": ("Tiến độ", "Progress"),
    "group.online": ("Trực tuyến", "Online"),
    "group.end_to_end": ("Toàn trình", "End-to-end"),
    "group.online_payment": ("Thanh toán trực tuyến", "Online payment"),
    "group.digitization": ("Số hóa", "Digitisation"),
    # quality
    "nav.quality": ("Chất lượng dữ liệu", "Data quality"),
    "nav.backup": ("Sao lưu và khôi phục", "Backup and restore"),
    "quality.title": ("Chất lượng dữ liệu", "Data quality"),
    "quality.intro": (
        "Dữ liệu dùng chung phải đúng, đủ, sạch, sống và dùng chung được. Mỗi tiêu chí dưới đây "
        "là một con số đo trên hồ sơ có ngày tiếp nhận (hoặc ngày nộp) trong kỳ.",
        "Shared data must be correct, complete, clean, live and shareable. Each criterion below is "
        "a figure measured on the dossiers received (or submitted) in the period.",
    ),
    "quality.score": ("Điểm chất lượng dữ liệu", "Data-quality score"),
    "quality.store_dossiers": ("Hồ sơ trong kho", "Dossiers in the store"),
    "quality.quarantined": ("Dòng bị cách ly", "Quarantined rows"),
    "quality.last_import": ("Lần nhập gần nhất", "Last import"),
    "quality.rows": ("Hồ sơ trong kỳ", "Dossiers in the period"),
    "quality.correct": ("Đúng", "Correct"),
    "quality.complete": ("Đủ", "Complete"),
    "quality.clean": ("Sạch", "Clean"),
    "quality.live": ("Sống", "Live"),
    "quality.shareable": ("Dùng chung", "Shareable"),
    "quality.def.correct": (
        "Tỷ lệ hồ sơ qua mọi phép kiểm tra: ngày tháng khớp trạng thái (đã xong thì có ngày kết "
        "thúc, không kết thúc hay hẹn trả trước ngày tiếp nhận, đang xử lý thì chưa có ngày kết "
        "thúc) và mã thủ tục có trong danh mục.",
        "Share of dossiers passing every check: dates consistent with the status (finished ones "
        "have a finish date, nothing finishes or falls due before it was received, open ones have "
        "no finish date) and a procedure code found in the catalogue.",
    ),
    "quality.def.complete": (
        "Tỷ lệ trường bắt buộc đã điền: xã/phường, kênh, mức độ dịch vụ trên mọi hồ sơ và ngày "
        "hẹn trả trên mọi hồ sơ đã tiếp nhận.",
        "Share of required fields filled: commune, channel, service level on every dossier, and "
        "the due date on every received dossier.",
    ),
    "quality.def.clean": (
        "1 trừ tỷ lệ hồ sơ nghi trùng (cùng người nộp, thủ tục, xã/phường và ngày tiếp nhận với "
        "một hồ sơ mã khác). Các dòng bị cách ly và bản ghi đã gộp được liệt kê theo tệp.",
        "1 minus the share of suspected duplicates (same applicant, procedure, commune and "
        "received day as a dossier with another id). Quarantined and merged rows are listed per file.",
    ),
    "quality.def.live": (
        "1 khi bản ghi mới nhất không quá một ngày làm việc; trừ 0,25 cho mỗi ngày làm việc trọn "
        "vẹn không có bản ghi nào (0 từ 4 ngày).",
        "1 when the newest record is at most one working day old; 0.25 less for each full working "
        "day without any record (0 from 4 days).",
    ),
    "quality.def.shareable": (
        "Tỷ lệ hồ sơ mang đủ mã quốc gia để hệ thống khác ghép nối: mã xã/phường 5 chữ số và mã "
        "thủ tục dạng n.nnnnnn, cả hai có trong danh mục.",
        "Share of dossiers carrying both national codes other systems join on: a 5-digit commune "
        "code and a procedure code n.nnnnnn, both in the catalogue.",
    ),
    "quality.def.score": (
        "Điểm = 100 × (30 × Đúng + 25 × Đủ + 10 × Sạch + 20 × Sống + 15 × Dùng chung) / 100. "
        "Không có điểm khi xã/phường không có hồ sơ nào trong kỳ.",
        "Score = 100 × (30 × Correct + 25 × Complete + 10 × Clean + 20 × Live + 15 × Shareable) "
        "/ 100. No score when the commune has no dossier in the period.",
    ),
    "quality.definitions": ("Định nghĩa và công thức", "Definitions and formula"),
    "quality.by_commune": ("Theo xã/phường", "By commune"),
    "quality.by_source": ("Theo tệp nguồn", "By source file"),
    "quality.commune": ("Xã/phường", "Commune"),
    "quality.source_file": ("Tệp nguồn", "Source file"),
    "quality.date_conflicts": ("Ngày mâu thuẫn trạng thái", "Dates contradict status"),
    "quality.unknown_procedure": ("Mã thủ tục ngoài danh mục", "Procedure not in catalogue"),
    "quality.missing_due_date": ("Thiếu ngày hẹn trả", "No due date"),
    "quality.suspected_duplicates": ("Nghi trùng", "Suspected duplicates"),
    "quality.newest_at": ("Bản ghi mới nhất", "Newest record"),
    "quality.stale_workdays": ("Ngày làm việc không có dữ liệu", "Working days without data"),
    "quality.runs": ("Số lần nhập", "Imports"),
    "quality.rows_read": ("Dòng đã đọc", "Rows read"),
    "quality.rows_merged": ("Đã gộp (trùng mã)", "Merged (known id)"),
    "quality.ingest_pass": ("Qua kiểm tra khi nhập", "Passed ingest checks"),
    "quality.last_import_at": ("Nhập lúc", "Imported at"),
    "quality.no_due.title": ("Hồ sơ không có ngày hẹn trả", "Dossiers without a due date"),
    "quality.no_due.text": (
        "{count} hồ sơ đã giải quyết không có ngày hẹn trả được tính là đúng hạn (như Cổng DVC "
        "quốc gia). Tỷ lệ đúng hạn {official}; nếu bỏ các hồ sơ này: {without} ({diff} điểm %).",
        "{count} resolved dossiers without a due date are counted on time (as the national portal "
        "does). On-time rate {official}; leaving them out: {without} ({diff} pp).",
    ),
    "quality.on_time_flattery": ("Đúng hạn được nâng (điểm %)", "On-time flattered by (pp)"),
    "quality.live.title": ("Dữ liệu sống", "Live data"),
    "quality.silent_today": (
        "Xã/phường chưa gửi dữ liệu nào hôm nay",
        "Communes that sent nothing today",
    ),
    "quality.silent_na": (
        "Hôm nay không phải giờ làm việc: không kiểm tra.",
        "Not within working hours today: not checked.",
    ),
    "quality.none": ("Không có", "None"),
    "quality.stale_sources": ("Nguồn dữ liệu cũ", "Stale sources"),
    "quality.stale_sources.def": (
        "Tệp nguồn có bản ghi mới nhất cũ từ {days} ngày làm việc trở lên.",
        "Source files whose newest record is {days} or more working days old.",
    ),
    "quality.clean.title": ("Làm sạch", "Cleaning"),
    "quality.quarantine_reasons": ("Dòng bị cách ly theo lý do", "Quarantined rows by reason"),
    "quality.reason": ("Lý do", "Reason"),
    "quality.names_to_map": (
        "Dòng chờ ánh xạ tên xã/phường: {count}",
        "Rows waiting for a commune name mapping: {count}",
    ),
    "quality.unmapped_procedures": (
        "Mã thủ tục cần đối chiếu danh mục",
        "Procedure codes to map to the catalogue",
    ),
    "quality.procedure_code": ("Mã thủ tục", "Procedure code"),
    "quality.procedure_name": ("Tên thủ tục", "Procedure name"),
    "quality.dossiers": ("Số hồ sơ", "Dossiers"),
    "quality.communes": ("Số xã/phường", "Communes"),
    "quality.own_commune": ("Chi tiết xã/phường của bạn", "Your commune in detail"),
    "quality.no_scope": ("Bạn không có quyền xem trang này.", "You may not open this page."),
    "quality.league_column": ("Chất lượng dữ liệu (/100)", "Data quality (/100)"),
    "quality.league_note": (
        "⚠ bên cạnh điểm chất lượng dữ liệu: dưới {score:.0f} điểm hoặc {days} ngày làm việc trở "
        "lên không có dữ liệu mới; xem trang Chất lượng dữ liệu.",
        "⚠ next to the data-quality score: below {score:.0f} or {days} or more working days "
        "without new data; see the Data quality page.",
    ),
    # backup
    "backup.title": ("Sao lưu và khôi phục", "Backup and restore"),
    "backup.last": ("Bản sao lưu gần nhất", "Last backup"),
    "backup.size": ("Dung lượng", "Size"),
    "backup.none": ("Chưa có bản sao lưu nào.", "No backup yet."),
    "backup.verified": (
        "Đã kiểm tra: {dossiers} hồ sơ, chỉ số KPI ghi trong bản sao lưu.",
        "Checked: {dossiers} dossiers, KPIs recorded in the backup.",
    ),
    "backup.schedule": (
        "Sao lưu tự động hằng ngày lúc {at} vào {folder}; giữ {daily} bản hằng ngày và {weekly} "
        "bản hằng tuần.",
        "Automatic daily backup at {at} into {folder}; keeping {daily} daily and {weekly} weekly.",
    ),
    "backup.list": ("Các bản sao lưu", "Backups"),
    "backup.file": ("Tệp", "File"),
    "backup.taken_at": ("Thời điểm", "Taken at"),
    "backup.now": ("Sao lưu ngay", "Back up now"),
    "backup.done": ("Đã sao lưu: {path} ({size})", "Backed up: {path} ({size})"),
    "backup.failed": ("Sao lưu thất bại: {error}", "Backup failed: {error}"),
    "backup.restore_help": (
        "Khôi phục: dừng ứng dụng rồi chạy `ioc restore ĐƯỜNG_DẪN`; lệnh kiểm tra bản sao lưu "
        "cho cùng chỉ số KPI trước khi thay kho dữ liệu.",
        "Restore: stop the app, then run `ioc restore PATH`; it checks the backup gives the same "
        "KPIs before it replaces the store.",
    ),
    "backup.disk_full": (
        "Không đủ dung lượng đĩa để ghi {path}; kho dữ liệu không bị thay đổi.",
        "Not enough disk space to write {path}; the store was not changed.",
    ),
    # commune
    "nav.commune": ("Xã/phường", "Commune"),
    "commune.title": ("Xã/phường", "Commune"),
    "commune.pick": (
        "Chọn một xã/phường ở thanh bên (hoặc từ bảng xếp hạng) để xem chi tiết.",
        "Pick a commune in the sidebar (or from the league table) to see its details.",
    ),
    "commune.rank_line": (
        "Hạng {rank}/{total} ({change} so với kỳ trước)",
        "Rank {rank} of {total} ({change} vs previous period)",
    ),
    "commune.neighbours": ("Vị trí trên bảng xếp hạng", "Place in the league table"),
    "commune.trend": (
        "Xu hướng theo tuần so với trung vị thành phố",
        "Weekly trend against the city median",
    ),
    "chart.city_median": ("trung vị TP", "city median"),
    "commune.lift": ("Cải thiện ở đâu để tăng điểm nhiều nhất", "What would lift the score most"),
    "commune.lift_help": (
        "Số điểm tăng thêm nếu tỷ lệ trực tuyến (hoặc toàn trình) của từng thủ tục đạt mức của "
        "nhóm 10% xã/phường tốt nhất thành phố (phân vị 90) cho thủ tục đó.",
        "Points gained if a procedure's online (or end-to-end) share reached the city's 90th "
        "percentile for that procedure.",
    ),
    "commune.lift_none": (
        "Không thủ tục nào thấp hơn mức phân vị 90 của thành phố.",
        "No procedure is below the city's 90th percentile.",
    ),
    "commune.lever.online": ("Tăng nộp trực tuyến", "More online filing"),
    "commune.lever.end_to_end": ("Tăng trực tuyến toàn trình", "More end-to-end online"),
    "commune.col.lever": ("Hướng cải thiện", "Lever"),
    "commune.col.share_now": ("Tỷ lệ hiện tại", "Share now"),
    "commune.col.share_p90": ("Phân vị 90 của TP", "City 90th percentile"),
    "commune.col.group_gain": ("Điểm nhóm tăng", "Group points gained"),
    "commune.col.score_gain": ("Điểm phục vụ tăng (/100)", "Score gained (/100)"),
    "commune.forecast": ("Có đạt mục tiêu không?", "Will we make it?"),
    "commune.forecast.now": (
        "hiện {now} (tuần gần nhất), mục tiêu {goal}",
        "now {now} (latest week), target {goal}",
    ),
    "commune.forecast.met": ("đã đạt", "already met"),
    "commune.forecast.on_track": (
        "đạt vào khoảng {date} với tốc độ 4 tuần qua",
        "reached around {date} at the pace of the last 4 weeks",
    ),
    "commune.forecast.not_at_this_pace": (
        "chưa đạt với tốc độ hiện tại",
        "not reached at the current pace",
    ),
    "commune.forecast.no_data": ("chưa đủ dữ liệu để dự báo", "not enough data to forecast"),
    "commune.procedures": ("Theo thủ tục", "By procedure"),
    "commune.overdue": ("Hồ sơ quá hạn và sắp đến hạn", "Overdue and due-soon dossiers"),
    "commune.all_kpis": ("Tất cả chỉ số", "All indicators"),
    # the chair's first screen (top of the commune page, issue 23)
    "chair.rank": ("Hạng {rank}/{total}", "Rank {rank} of {total}"),
    "chair.change.week": ("so với tuần trước", "since last week"),
    "chair.change.period": ("so với kỳ trước", "since the previous period"),
    "chair.change.none": ("chưa có hạng kỳ trước", "no rank for the previous period"),
    "chair.score": (
        "Điểm {score} · trung vị thành phố {median}",
        "Score {score} · city median {median}",
    ),
    "chair.gap.online_rate": (
        "còn thiếu {n} hồ sơ trực tuyến để đạt {target}",
        "{n} more online dossiers needed to reach {target}",
    ),
    "chair.gap.end_to_end_rate": (
        "còn thiếu {n} hồ sơ trực tuyến toàn trình để đạt {target}",
        "{n} more end-to-end online dossiers needed to reach {target}",
    ),
    "chair.gap.on_time_rate": (
        "còn thiếu {n} hồ sơ giải quyết đúng hạn để đạt {target}",
        "{n} more dossiers resolved on time needed to reach {target}",
    ),
    "chair.gap.met": ("đã đạt mục tiêu {target}", "target {target} met"),
    "chair.gap.no_target": ("chưa có mục tiêu", "no target set"),
    "chair.gap.no_data": ("chưa có hồ sơ trong kỳ", "no dossier in the period"),
    "chair.gap.unreachable": (
        "mục tiêu {target}: hồ sơ mới không đủ để đạt",
        "target {target}: new dossiers alone cannot reach it",
    ),
    "chair.gap_help": (
        "Số hồ sơ còn thiếu: số hồ sơ thêm vào kỳ này, tất cả đều đạt tiêu chí (nộp trực tuyến, "
        "toàn trình, giải quyết đúng hạn), để tỷ lệ của kỳ đạt mục tiêu; hồ sơ đã có giữ nguyên.",
        "Dossiers still missing: how many more dossiers in this period, every one meeting the "
        "criterion (filed online, end-to-end, resolved on time), bring the period's rate to the "
        "target; the dossiers already counted stay as they are.",
    ),
    "chair.open": (
        "Đang xử lý {open} · quá hạn {overdue}",
        "Open {open} · overdue {overdue}",
    ),
    "chair.oldest": ("hồ sơ lâu nhất {days} ngày", "oldest {days} days"),
    "chair.fix_first": ("Làm gì trước để tăng điểm", "Fix first to lift the score"),
    "chair.lift_item": ("{lever}, +{gain} điểm", "{lever}, +{gain} points"),
    "chair.share": ("Chia sẻ ảnh (PNG)", "Share as image (PNG)"),
    # the chair's first screen as a light page for slow phones (ioc/chair_page.py, /tom-tat)
    "quick.language": ("English", "Tiếng Việt"),
    "quick.full": ("Xem đầy đủ trên bảng điều khiển", "Open the full dashboard"),
    "quick.link": (
        "Trên điện thoại mạng chậm: mở [bản rút gọn]({url}) (tải trong 1–2 giây).",
        "On a phone with a slow connection: open the [light page]({url}) (loads in 1–2 s).",
    ),
    "chair.card.period": ("Kỳ {start} – {end}", "Period {start} – {end}"),
    "chair.card.footer": (
        "Trung tâm điều hành IOC · điểm phục vụ ước tính theo QĐ 766",
        "IOC operations centre · service score estimated per Decision 766",
    ),
    "col.procedure_code": ("Mã thủ tục", "Procedure code"),
    "col.procedure_name": ("Thủ tục", "Procedure"),
    "col.service_level": ("Mức độ", "Service level"),
    "col.dossier_id": ("Mã hồ sơ", "Dossier"),
    "col.state": ("Tình trạng", "State"),
    "col.channel": ("Kênh", "Channel"),
    "col.received_at": ("Tiếp nhận lúc", "Received at"),
    "col.due_at": ("Hạn xử lý", "Due"),
    "col.applicant": ("Người nộp", "Applicant"),
    "level.full": ("Toàn trình", "Full"),
    "level.partial": ("Một phần", "Partial"),
    "level.info": ("Cung cấp thông tin", "Information"),
    "state.overdue": ("Quá hạn", "Overdue"),
    "state.due_soon": ("Sắp đến hạn", "Due soon"),
    "channel.online": ("Trực tuyến", "Online"),
    "channel.direct": ("Trực tiếp", "In person"),
    "channel.postal": ("Bưu chính", "Postal"),
    # live
    "nav.live": ("Thời gian thực", "Live monitor"),
    "live.title": ("Giám sát thời gian thực", "Live monitor"),
    "live.refreshed": (
        "Tự làm mới mỗi 60 giây · lần cuối {at}",
        "Refreshes every 60 seconds · last at {at}",
    ),
    "live.card.received": ("Tiếp nhận hôm nay", "Received today"),
    "live.card.resolved": ("Giải quyết hôm nay", "Resolved today"),
    "live.card.open_at_end": ("Tồn đọng đang xử lý", "Backlog"),
    "live.card.open_overdue": ("Quá hạn", "Overdue"),
    "live.card.open_due_soon": ("Sắp đến hạn", "Due soon"),
    "live.hourly": (
        "Theo giờ hôm nay so với mức thường lệ (trung bình cùng thứ, cùng giờ 4 tuần trước)",
        "Per hour today against the usual (mean of the same weekday and hour, previous 4 weeks)",
    ),
    "live.received": ("Tiếp nhận", "Received"),
    "live.resolved": ("Giải quyết", "Resolved"),
    "live.usual_received": ("Tiếp nhận thường lệ", "Usual received"),
    "live.usual_resolved": ("Giải quyết thường lệ", "Usual resolved"),
    "live.by_commune": ("Quá hạn / sắp đến hạn theo xã/phường", "Overdue / due soon by commune"),
    "live.by_procedure": ("Quá hạn / sắp đến hạn theo thủ tục", "Overdue / due soon by procedure"),
    "live.dossiers": ("Danh sách hồ sơ quá hạn và sắp đến hạn", "Overdue and due-soon dossiers"),
    "col.name": ("Tên", "Name"),
    # overview extension (pages helper)
    "overview.top": ("{n} xã/phường dẫn đầu", "Top {n} communes"),
    "overview.bottom": ("{n} xã/phường cuối bảng", "Bottom {n} communes"),
    "overview.mix": ("Cơ cấu hồ sơ theo thủ tục", "Dossiers by procedure"),
    "overview.col.share": ("Tỷ trọng", "Share"),
    "chart.other_procedures": ("Các thủ tục khác", "Other procedures"),
    "overview.anomalies": ("Bất thường", "Anomalies"),
    "overview.anomalies_help": (
        "Xã/phường có tỷ lệ trực tuyến giảm từ 15 điểm % hoặc số hồ sơ giải quyết mỗi ngày làm việc "
        "giảm từ 40% trong 7 ngày qua so với 4 tuần trước đó.",
        "Communes whose online share fell by 15 points or more, or whose resolved dossiers per "
        "working day fell by 40% or more, in the last 7 days against the 4 weeks before.",
    ),
    "overview.anomalies_none": ("Không có bất thường.", "No anomalies."),
    "anomaly.col.kind": ("Dấu hiệu", "Signal"),
    "anomaly.col.baseline": ("4 tuần trước", "Previous 4 weeks"),
    "anomaly.col.recent": ("7 ngày qua", "Last 7 days"),
    "anomaly.kind.online_drop": ("Tỷ lệ trực tuyến giảm (%)", "Online share fell (%)"),
    "anomaly.kind.throughput_drop": (
        "Hồ sơ giải quyết/ngày làm việc giảm",
        "Resolved per working day fell",
    ),
    # kpi map
    "nav.kpi_map": ("Bản đồ chỉ số", "KPI map"),
    "kpi_map.title": ("Bản đồ chỉ số", "KPI map"),
    "kpi_map.caption": (
        "{metric} theo xã/phường, từ {date_from} đến {date_to}.",
        "{metric} by commune, {date_from} to {date_to}.",
    ),
    "kpi_map.metric": ("Chỉ số", "Indicator"),
    "kpi_map.hint": (
        "Di chuột lên một xã/phường để xem số liệu; bấm để mở trang xã/phường.",
        "Hover over a commune for its figures; click to open its page.",
    ),
    "kpi_map.hint_no_drill": (
        "Di chuột lên một xã/phường để xem số liệu.",
        "Hover over a commune for its figures.",
    ),
    "kpi_map.no_cells": (
        "Chưa có ranh giới xã/phường để vẽ bản đồ.",
        "No commune boundaries to draw the map.",
    ),
    "kpi_map.no_target": ("Không có mục tiêu", "No target"),
    "kpi_map.legend": ("Chú giải", "Legend"),
    "kpi_map.tip.rank": ("Hạng", "Rank"),
    "kpi_map.tip.score": ("Điểm phục vụ", "Service score"),
    "kpi_map.open": ("Mở trang xã/phường", "Open the commune page"),
    # land
    "nav.land": ("Bản đồ đất đai", "Land map"),
    "land.title": ("Bản đồ đất đai", "Land map"),
    "land.as_of": (
        "Tình trạng hồ sơ tính đến ngày {day}",
        "Dossier states as of {day}",
    ),
    "land.city_hint": (
        "Toàn thành phố: mỗi ô là một xã/phường, tô đậm theo số hồ sơ đất đai quá hạn. "
        "Chọn một xã/phường (bấm vào bản đồ hoặc ở thanh bên) để xem từng thửa đất.",
        "Whole city: one cell per commune, darker with more overdue land dossiers. Pick a commune "
        "(click the map or use the sidebar) to see its parcels.",
    ),
    "land.back_to_city": ("Về toàn thành phố", "Back to the whole city"),
    "land.colour_by": ("Tô màu theo", "Colour by"),
    "land.colour.land_use": ("Loại đất", "Land use"),
    "land.colour.state": ("Tình trạng hồ sơ", "Dossier state"),
    "land.filter.land_use": ("Loại đất", "Land use"),
    "land.filter.state": ("Tình trạng hồ sơ", "Dossier state"),
    "land.filter.all": ("Tất cả", "All"),
    "land.search": ("Tìm thửa đất", "Find a parcel"),
    "land.search.commune": ("Xã/phường", "Commune"),
    "land.search.sheet": ("Số tờ bản đồ", "Map sheet"),
    "land.search.parcel": ("Số thửa", "Parcel number"),
    "land.search.go": ("Tìm", "Find"),
    "land.search.not_found": (
        "Không tìm thấy thửa đất tờ {sheet}, thửa {no} tại {commune}.",
        "No parcel sheet {sheet}, number {no} in {commune}.",
    ),
    "land.search.found": (
        "Đã tìm thấy thửa đất tờ {sheet}, thửa {no}.",
        "Found parcel sheet {sheet}, number {no}.",
    ),
    "land.search.blank": (
        "Nhập số tờ bản đồ và số thửa.",
        "Enter the map sheet and the parcel number.",
    ),
    "land.summary": ("Tóm tắt", "Summary"),
    "land.sum.parcels": ("Số thửa đất", "Parcels"),
    "land.sum.area": ("Diện tích (ha)", "Area (ha)"),
    "land.sum.open": ("Hồ sơ đất đai đang xử lý", "Open land dossiers"),
    "land.sum.overdue": ("Hồ sơ đất đai quá hạn", "Overdue land dossiers"),
    "land.sum.due_soon": ("Sắp đến hạn", "Due soon"),
    "land.sum.by_use": ("Diện tích theo loại đất", "Area by land use"),
    "land.legend": ("Chú giải", "Legend"),
    "land.none_shown": (
        "Không có thửa đất nào khớp bộ lọc.",
        "No parcel matches the filters.",
    ),
    "land.detail": ("Thông tin thửa đất", "Parcel details"),
    "land.detail.pick": (
        "Bấm vào một thửa đất hoặc tìm theo số tờ, số thửa để xem chi tiết.",
        "Click a parcel or search by sheet and number to see its details.",
    ),
    "land.detail.sheet": ("Số tờ bản đồ", "Map sheet"),
    "land.detail.parcel": ("Số thửa", "Parcel number"),
    "land.detail.area": ("Diện tích", "Area"),
    "land.detail.use": ("Loại đất", "Land use"),
    "land.detail.address": ("Địa chỉ", "Address"),
    "land.detail.state": ("Tình trạng", "State"),
    "land.detail.procedure": ("Thủ tục", "Procedure"),
    "land.detail.status": ("Trạng thái hồ sơ", "Dossier status"),
    "land.detail.received": ("Ngày tiếp nhận", "Received"),
    "land.detail.due": ("Hạn trả kết quả", "Due"),
    "land.detail.applicant": ("Người nộp", "Applicant"),
    "land.detail.no_dossier": ("Chưa có hồ sơ.", "No dossier yet."),
    "land.detail.hidden": (
        "Vai trò hiện tại không được xem chi tiết hồ sơ.",
        "Your role may not see dossier details.",
    ),
    "land.tip.parcels": ("Số thửa đất", "Parcels"),
    "land.tip.area_ha": ("Diện tích (ha)", "Area (ha)"),
    "land.tip.open": ("Hồ sơ đất đai đang xử lý", "Open land dossiers"),
    "land.tip.overdue": ("Quá hạn", "Overdue"),
    "land.tip.sheet_no": ("Tờ {sheet} · Thửa {no}", "Sheet {sheet} · Parcel {no}"),
    "land.tip.state": ("Hồ sơ", "Dossier"),
    "land.state.none": ("Chưa có hồ sơ", "No dossier"),
    "land.state.processing": ("Đang xử lý", "Processing"),
    "land.state.due_soon": ("Sắp đến hạn", "Due soon"),
    "land.state.overdue": ("Quá hạn", "Overdue"),
    "land.state.done": ("Đã giải quyết", "Done"),
    "land.status.registered": ("Mới đăng ký", "Registered"),
    "land.status.accepted": ("Được tiếp nhận", "Accepted"),
    "land.status.rejected": ("Không được tiếp nhận", "Rejected"),
    "land.status.processing": ("Đang xử lý", "Processing"),
    "land.status.supplement_requested": ("Yêu cầu bổ sung", "Supplement requested"),
    "land.status.payment_requested": (
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Payment requested",
    ),
    "land.status.withdrawn": ("Công dân rút hồ sơ", "Withdrawn"),
    "land.status.stopped": ("Dừng xử lý", "Stopped"),
    "land.status.finished": ("Đã xử lý xong", "Finished"),
    "land.status.returned": ("Đã trả kết quả", "Returned"),
    "land.use.ODT": ("Đất ở tại đô thị", "Urban residential land"),
    "land.use.ONT": ("Đất ở tại nông thôn", "Rural residential land"),
    "land.use.LUC": ("Đất chuyên trồng lúa", "Specialised rice land"),
    "land.use.LUK": ("Đất trồng lúa còn lại", "Other rice land"),
    "land.use.HNK": ("Đất trồng cây hằng năm khác", "Other annual crop land"),
    "land.use.CLN": ("Đất trồng cây lâu năm", "Perennial crop land"),
    "land.use.RSX": ("Đất rừng sản xuất", "Production forest land"),
    "land.use.RPH": ("Đất rừng phòng hộ", "Protection forest land"),
    "land.use.NTS": ("Đất nuôi trồng thủy sản", "Aquaculture land"),
    "land.use.TMD": ("Đất thương mại, dịch vụ", "Commercial and service land"),
    "land.use.SKC": (
        "Đất cơ sở sản xuất phi nông nghiệp",
        "Non-agricultural production land",
    ),
    "land.use.DGT": ("Đất giao thông", "Transport land"),
    "land.use.DTL": ("Đất thủy lợi", "Irrigation land"),
    "land.use.DGD": (
        "Đất xây dựng cơ sở giáo dục và đào tạo",
        "Education and training facility land",
    ),
    "land.use.DYT": ("Đất xây dựng cơ sở y tế", "Health facility land"),
    "land.use.TSC": ("Đất xây dựng trụ sở cơ quan", "Government office land"),
    "land.use.NTD": (
        "Đất nghĩa trang, nhà tang lễ, cơ sở hỏa táng",
        "Cemetery, funeral home and crematorium land",
    ),
    "land.use.BCS": ("Đất bằng chưa sử dụng", "Unused flat land"),
    "land.use.other": ("Loại đất khác ({code})", "Other land use ({code})"),
    # ingest
    "nav.ingest": ("Nhập dữ liệu", "Data import"),
    "ingest.reason.too_many_cells": (
        "Dòng có nhiều ô hơn tiêu đề",
        "Row has more cells than the header",
    ),
    "ingest.reason.no_id": ("Thiếu mã hồ sơ", "No dossier id"),
    "ingest.reason.bad_date": (
        "Ngày không đọc được ở cột «{column}»: «{value}»",
        "Unreadable date in column «{column}»: «{value}»",
    ),
    "ingest.reason.no_received": (
        "Thiếu ngày tiếp nhận (hồ sơ không ở trạng thái mới đăng ký)",
        "No received date (the dossier is not merely registered)",
    ),
    "ingest.reason.ambiguous_value": (
        "Giá trị «{value}» của cột «{column}» có thể hiểu theo hai nghĩa: không đoán, cần ánh xạ",
        "«{value}» in «{column}» reads two ways: not guessed, map it",
    ),
    "ingest.reason.unknown_channel": (
        "Kênh thực hiện không xác định: «{value}»",
        "Unknown channel: «{value}»",
    ),
    "ingest.reason.unknown_status": (
        "Trạng thái hồ sơ không xác định: «{value}»",
        "Unknown dossier status: «{value}»",
    ),
    "ingest.reason.unknown_level": (
        "Mức độ dịch vụ không xác định: «{value}»",
        "Unknown service level: «{value}»",
    ),
    "ingest.reason.unknown_flag": (
        "Giá trị có/không không đọc được ở cột «{column}»: «{value}»",
        "Unreadable yes/no value in column «{column}»: «{value}»",
    ),
    "ingest.reason.unknown_commune": (
        "Không xác định được xã/phường: «{value}»",
        "Unknown commune: «{value}»",
    ),
    "ingest.reason.ambiguous_commune": (
        "Tên đơn vị «{value}» ứng với nhiều xã/phường mới (đơn vị cũ bị chia tách hoặc trùng tên)",
        "The unit name «{value}» matches several new communes (an old unit split, or a shared name)",
    ),
    "ingest.reason.date_order": (
        "Ngày «{column}» ({value}) trước {before}",
        "«{column}» ({value}) is before {before}",
    ),
    "ingest.reason.date_out_of_range": (
        "Ngày «{column}» ({value}) ngoài khoảng hợp lý (từ 01/01/2000; hạn trả không quá 3 năm tới)",
        "«{column}» ({value}) is outside the plausible range (from 01/01/2000; due within 3 years)",
    ),
    "ingest.reason.value_too_long": (
        "Có giá trị dài bất thường (mã hồ sơ quá 64 ký tự hoặc một ô quá {chars} ký tự)",
        "A value is abnormally long (a dossier id over 64 characters, or a cell over {chars})",
    ),
    "ingest.reason.future_date": (
        "Ngày «{column}» ({value}) ở tương lai quá 1 ngày",
        "«{column}» ({value}) is more than a day in the future",
    ),
    "ingest.reason.duplicate_conflict": (
        "Mã hồ sơ «{value}» xuất hiện nhiều lần trong tệp với trạng thái khác nhau",
        "Dossier id «{value}» appears several times in the file with different states",
    ),
    "ingest.reason.bad_geometry": (
        "Hình thửa/ranh giới không đọc được hoặc rỗng",
        "Missing or unreadable geometry",
    ),
    "ingest.reason.not_polygon": (
        "Hình học không phải vùng (điểm hoặc đường)",
        "The geometry is not an area (a point or a line)",
    ),
    "ingest.reason.invalid_geometry": (
        "Hình học không hợp lệ (ranh giới tự cắt)",
        "Invalid geometry (the boundary crosses itself)",
    ),
    "ingest.reason.geometry_out_of_range": (
        "Tọa độ nằm ngoài lãnh thổ Việt Nam hoặc không phải số hợp lệ",
        "Coordinates outside Vietnam, or not valid numbers",
    ),
    "ingest.reason.geometry_too_large": (
        "Diện tích lớn bất thường (thửa trên 10 km², xã trên 5.000 km²)",
        "Abnormally large (a parcel over 10 km², a commune over 5,000 km²)",
    ),
    "ingest.reason.no_parcel_key": (
        "Thiếu số tờ bản đồ hoặc số thửa",
        "No map sheet or parcel number",
    ),
    "ingest.reason.marked_invalid": (
        "Giá trị «{value}» đã được quản trị viên đánh dấu là không hợp lệ",
        "The value «{value}» was marked invalid by an administrator",
    ),
    "mapping.moved_rows": ("{rows} dòng đã được nhập", "{rows} rows imported"),
    "mapping.moved.received": ("{change} hồ sơ tiếp nhận", "{change} received"),
    "mapping.moved.received_online": ("{change} trực tuyến", "{change} online"),
    "mapping.moved.open_at_end": ("{change} đang xử lý", "{change} open"),
    "mapping.moved_still": ("{rows} dòng vẫn bị cách ly", "{rows} rows still quarantined"),
    "mapping.retry_note": (
        "xử lý lại dòng bị cách ly của lần nhập {run}",
        "quarantined rows of run {run} re-processed",
    ),
    "mapping.preview_retry": (
        "{rows} dòng bị cách ly của tệp này sẽ được nhập theo ánh xạ hiện có",
        "{rows} quarantined rows of this file would land with today's mappings",
    ),
    "nav.mapping": ("Ánh xạ dữ liệu", "Data mapping"),
    "mapping.title": ("Ánh xạ dữ liệu", "Data mapping"),
    "mapping.intro": (
        "Các giá trị khiến dòng bị cách ly. Chọn giá trị chuẩn (hoặc đánh dấu không hợp lệ): ánh "
        "xạ được lưu, ghi nhật ký, dùng cho mọi lần nhập sau và các dòng bị cách ly được nhập lại "
        "ngay.",
        "Values that sent rows to quarantine. Pick the canonical value (or mark it invalid): the "
        "mapping is stored, audited, used by every later import, and the quarantined rows are "
        "re-processed at once.",
    ),
    "mapping.none": ("Không có giá trị nào cần ánh xạ", "Nothing to map"),
    "mapping.col.problem_kind": ("Loại", "Kind"),
    "mapping.col.problem_value": ("Giá trị", "Value"),
    "mapping.col.unknown_headers": ("Cột chưa biết", "Unknown headers"),
    "mapping.col.row_count": ("Số dòng", "Rows"),
    "mapping.col.source_files": ("Tệp", "Files"),
    "mapping.col.proposed": ("Đề xuất", "Proposed"),
    "mapping.kind.status": ("Trạng thái", "Status"),
    "mapping.kind.channel": ("Kênh thực hiện", "Channel"),
    "mapping.kind.level": ("Mức độ", "Service level"),
    "mapping.kind.flag": ("Có/Không", "Yes/no"),
    "mapping.kind.commune": ("Xã/phường", "Commune"),
    "mapping.kind.procedure": ("Mã thủ tục", "Procedure code"),
    "mapping.kind.header": ("Tên cột", "Column header"),
    "mapping.kind.rating": ("Mức độ hài lòng", "Satisfaction level"),
    "mapping.kind.feedback_channel": ("Kênh tiếp nhận phản ánh", "Feedback channel"),
    "mapping.kind.outcome": ("Tình trạng xử lý phản ánh", "Feedback state"),
    "mapping.value.rating.very_satisfied": ("Rất hài lòng", "Very satisfied"),
    "mapping.value.rating.satisfied": ("Hài lòng", "Satisfied"),
    "mapping.value.rating.not_satisfied": ("Không hài lòng", "Not satisfied"),
    "mapping.value.feedback_channel.portal": (
        "Cổng Dịch vụ công, hệ thống phản ánh kiến nghị",
        "Public service portal, feedback system",
    ),
    "mapping.value.feedback_channel.hotline": ("Đường dây nóng, tổng đài", "Hotline, call centre"),
    "mapping.value.feedback_channel.app": (
        "Ứng dụng di động, mạng xã hội",
        "Mobile app, social network",
    ),
    "mapping.value.feedback_channel.email": ("Thư điện tử", "E-mail"),
    "mapping.value.feedback_channel.letter": ("Văn bản, đơn thư, bưu chính", "Letter, post"),
    "mapping.value.feedback_channel.direct": ("Trực tiếp, tiếp công dân", "In person"),
    "mapping.value.feedback_channel.press": ("Báo chí", "Press"),
    "mapping.value.outcome.answered": ("Đã trả lời", "Answered"),
    "mapping.value.outcome.rejected": ("Từ chối tiếp nhận", "Refused"),
    "mapping.value.outcome.info_requested": (
        "Đề nghị cung cấp thêm thông tin",
        "More information requested",
    ),
    "mapping.value.outcome.open": ("Đang xử lý", "Open"),
    "mapping.pick_value": ("Giá trị cần ánh xạ", "Value to map"),
    "mapping.header_pick": ("Cột chưa biết", "Unknown header"),
    "mapping.canonical": ("Giá trị chuẩn", "Canonical value"),
    "mapping.invalid": ("Không hợp lệ (giữ cách ly)", "Truly invalid (keep quarantined)"),
    "mapping.save": ("Lưu ánh xạ", "Save mapping"),
    "mapping.samples": ("Dòng mẫu (đã che dữ liệu cá nhân)", "Sample rows (personal data masked)"),
    "mapping.settle": ("Chọn xã/phường cho các dòng đã chọn", "Commune for the selected rows"),
    "mapping.settle_save": ("Gán xã/phường cho dòng đã chọn", "Settle the selected rows"),
    "mapping.delete": ("Xóa các dòng đã chọn", "Delete the selected rows"),
    "mapping.deleted": ("Đã xóa {rows} dòng bị cách ly", "{rows} quarantined rows deleted"),
    "mapping.error": ("Không lưu được ánh xạ: {message}", "Mapping not saved: {message}"),
    "mapping.history": ("Lịch sử ánh xạ", "Mapping history"),
    "mapping.hist.changed_at": ("Thời điểm", "Changed at"),
    "mapping.hist.changed_by": ("Người thay đổi", "Changed by"),
    "mapping.hist.kind": ("Loại", "Kind"),
    "mapping.hist.raw_example": ("Giá trị gốc", "Raw value"),
    "mapping.hist.old_canonical": ("Giá trị chuẩn cũ", "Old canonical value"),
    "mapping.hist.new_canonical": ("Giá trị chuẩn mới", "New canonical value"),
    "mapping.invalid_label": ("(không hợp lệ)", "(invalid)"),
    "ingest.preview": ("Xem trước", "Preview"),
    "ingest.preview_title": ("Xem trước khi nhập (chưa ghi gì)", "Preview (nothing written yet)"),
    "ingest.preview_line": (
        "{file}: đọc {read} dòng — thêm mới {insert}, cập nhật {update}, không đổi {unchanged}, "
        "cách ly {quarantine}",
        "{file}: {read} rows read — {insert} to insert, {update} to update, {unchanged} "
        "unchanged, {quarantine} to quarantine",
    ),
    "ingest.preview_reason": (
        "Cách ly «{reason}»: {rows} dòng",
        "Quarantine «{reason}»: {rows} rows",
    ),
    "ingest.preview_unmapped": (
        "Chưa ánh xạ — {kind} «{value}»: {rows} dòng",
        "Unmapped — {kind} «{value}»: {rows} rows",
    ),
    "ingest.preview_other": ("{file}: {status} {message}", "{file}: {status} {message}"),
    "ingest.confirm": ("Xác nhận nhập", "Confirm the import"),
    "ingest.duplicate_file": ("đã nhập trước đó", "already imported"),
    "ingest.not_importable": (
        "Không phải loại tệp nhập được (nhận: {types})",
        "Not a file type that can be imported (accepted: {types})",
    ),
    "ingest.unreadable": (
        "Không đọc được tệp như một tệp xuất hồ sơ: kiểm tra định dạng rồi xuất lại",
        "The file cannot be read as an export: check its format and export it again",
    ),
    "ingest.title": ("Nhập dữ liệu", "Data import"),
    "ingest.intro": (
        "Tải lên tệp xuất từ hệ thống một cửa (Excel, CSV, Parquet, JSON đồng bộ DVCQG) hoặc tệp "
        "bản đồ đất đai. Có thể thả tệp vào thư mục {inbox}: ứng dụng tự nhập trong vài giây.",
        "Upload exports of the one-stop systems (Excel, CSV, Parquet, the portal's sync JSON) or "
        "land files. Files dropped into {inbox} are imported by the app within seconds.",
    ),
    "ingest.upload": ("Chọn tệp", "Choose files"),
    "ingest.meridian": (
        "Kinh tuyến trục VN-2000 (độ, cho tệp đất đai)",
        "VN-2000 central meridian (degrees, for land files)",
    ),
    "ingest.start": ("Nhập dữ liệu", "Import"),
    "ingest.progress": ("Đang nhập {file}: {stage}", "Importing {file}: {stage}"),
    "ingest.result": (
        "{file}: đọc {read} dòng, thêm {inserted}, cập nhật {updated}, cách ly {quarantined}",
        "{file}: {read} rows read, {inserted} inserted, {updated} updated, {quarantined} quarantined",
    ),
    "ingest.result_duplicate": ("{file}: đã nhập trước đó", "{file}: already imported"),
    "ingest.handed": (
        "{file}: đã chuyển cho tiến trình nhập dữ liệu (ioc worker); kết quả hiện trong danh sách "
        "các lần nhập bên dưới sau vài giây",
        "{file}: handed to the import worker (ioc worker); its result shows in the list of runs "
        "below within seconds",
    ),
    "ingest.result_failed": (
        "{file}: không nhập được — {message}",
        "{file}: not imported — {message}",
    ),
    "ingest.runs": ("Các lần nhập", "Import runs"),
    "ingest.no_runs": ("Chưa có lần nhập nào", "No imports yet"),
    "ingest.quarantine": ("Dòng bị cách ly", "Quarantined rows"),
    "ingest.pick_run": ("Lần nhập", "Import run"),
    "ingest.no_quarantine": (
        "Lần nhập này không có dòng bị cách ly",
        "This run has no quarantined rows",
    ),
    "ingest.download": ("Tải danh sách cách ly (Excel)", "Download the quarantine (Excel)"),
    "ingest.col.started_at": ("Bắt đầu", "Started"),
    "ingest.col.source_file": ("Tệp", "File"),
    "ingest.col.status": ("Kết quả", "Outcome"),
    "ingest.col.rows_read": ("Đọc", "Read"),
    "ingest.col.rows_inserted": ("Thêm mới", "Inserted"),
    "ingest.col.rows_updated": ("Cập nhật", "Updated"),
    "ingest.col.rows_quarantined": ("Cách ly", "Quarantined"),
    "ingest.col.message": ("Ghi chú", "Note"),
    "ingest.col.row_number": ("Dòng trong tệp", "Row in file"),
    "ingest.col.reason_code": ("Mã lý do", "Reason code"),
    "ingest.col.reason": ("Lý do", "Reason"),
    "ingest.col.raw_values": (
        "Giá trị gốc (đã che dữ liệu cá nhân)",
        "Raw values (personal data masked)",
    ),
    "ingest.status.ok": ("Hoàn tất", "Completed"),
    "ingest.status.duplicate_file": ("Trùng tệp đã nhập", "Duplicate file"),
    "ingest.status.failed": ("Lỗi", "Failed"),
    "ingest.stage.read": ("đọc tệp", "reading"),
    "ingest.stage.normalise": ("chuẩn hóa", "normalising"),
    "ingest.stage.check": ("kiểm tra", "checking"),
    "ingest.stage.write": ("ghi vào kho", "writing"),
    "ingest.stage.done": ("xong", "done"),
    # auth
    "nav.sign_in": ("Đăng nhập", "Sign in"),
    "nav.targets": ("Chỉ tiêu", "Targets"),
    "nav.audit": ("Nhật ký truy cập", "Audit log"),
    "role.city_leader": ("Lãnh đạo thành phố", "City leader"),
    "role.ward_chair": ("Chủ tịch/Phó Chủ tịch xã, phường", "Commune/ward chair"),
    "role.presenter": ("Người trình bày", "Presenter"),
    "role.admin": ("Quản trị", "Administrator"),
    "auth.title": ("Đăng nhập", "Sign in"),
    "auth.username": ("Tên đăng nhập", "Username"),
    "auth.password": ("Mật khẩu", "Password"),
    "auth.submit": ("Đăng nhập", "Sign in"),
    "auth.sign_out": ("Đăng xuất", "Sign out"),
    "auth.signed_in_as": ("Đăng nhập: {user} · {role}", "Signed in: {user} · {role}"),
    "auth.own_commune": ("Đơn vị: {commune}", "Unit: {commune}"),
    "auth.error.bad_credentials": (
        "Tên đăng nhập hoặc mật khẩu không đúng.",
        "Wrong username or password.",
    ),
    "auth.error.locked": (
        "Tài khoản tạm khóa do nhập sai nhiều lần. Thử lại sau {until}.",
        "Account locked after repeated failures. Try again after {until}.",
    ),
    "auth.error.empty": (
        "Nhập tên đăng nhập và mật khẩu.",
        "Enter a username and a password.",
    ),
    "auth.notice.timeout": (
        "Phiên làm việc đã hết hạn do không hoạt động. Vui lòng đăng nhập lại.",
        "Your session ended after inactivity. Please sign in again.",
    ),
    "auth.notice.signed_out": ("Bạn đã đăng xuất.", "You have signed out."),
    "auth.demo.header": ("Tài khoản dùng thử (chế độ dữ liệu mẫu)", "Demo accounts (demo mode)"),
    "auth.demo.caption": (
        "Chỉ hiển thị khi đang dùng dữ liệu mẫu; tự tắt khi nhập dữ liệu thật.",
        "Shown only in demo mode; turned off once real data is imported.",
    ),
    "auth.demo.role": ("Vai trò", "Role"),
    "auth.demo.commune": ("Đơn vị", "Unit"),
    # first start of a production store (pages/setup.py)
    "setup.title": ("Thiết lập lần đầu", "First start"),
    "setup.intro": (
        "Kho dữ liệu này chưa có tài khoản nào. Tạo tài khoản quản trị đầu tiên bằng mã thiết lập "
        "in trên màn hình máy chủ khi khởi động (dòng “set-up token”). Sau khi tạo, trang này "
        "không còn nữa; các tài khoản khác do quản trị tạo.",
        "This store has no account yet. Create the first administrator with the set-up token "
        "printed on the server console at start (the “set-up token” line). Once created, this "
        "page is gone; the administrator creates every other account.",
    ),
    "setup.token": ("Mã thiết lập", "Set-up token"),
    "setup.password_again": ("Nhập lại mật khẩu", "Password again"),
    "setup.submit": ("Tạo tài khoản quản trị", "Create the administrator"),
    "setup.reference": (
        "Dữ liệu danh mục đã nạp: {communes} xã/phường của {provinces} tỉnh/thành, "
        "{procedures} thủ tục.",
        "Reference data loaded: {communes} communes of {provinces} provinces, "
        "{procedures} procedures.",
    ),
    "auth.error.bad_token": (
        "Mã thiết lập không đúng: xem dòng “set-up token” trên màn hình máy chủ.",
        "Wrong set-up token: see the “set-up token” line on the server console.",
    ),
    "auth.error.setup_done": (
        "Đã có tài khoản quản trị: hãy đăng nhập.",
        "An administrator exists already: sign in.",
    ),
    "auth.error.passwords_differ": ("Hai mật khẩu không khớp.", "The passwords differ."),
    "auth.error.password_short": (
        "Mật khẩu cần ít nhất 8 ký tự.",
        "The password needs at least 8 characters.",
    ),
    "auth.error.password_long": (
        "Mật khẩu quá dài (tối đa 72 byte).",
        "Password too long (72 bytes at most).",
    ),
    "auth.error.bad_username": (
        "Tên đăng nhập: 3–40 ký tự a–z, 0–9, dấu chấm, gạch dưới hoặc gạch ngang.",
        "Username: 3–40 characters a–z, 0–9, dot, underscore or hyphen.",
    ),
    "auth.error.user_exists": ("Tên đăng nhập đã có.", "That username exists already."),
    "auth.no_access": (
        "Tài khoản của bạn không được xem dữ liệu này.",
        "Your account may not see this data.",
    ),
    "targets.title": ("Chỉ tiêu KPI", "KPI targets"),
    "targets.in_force": ("Chỉ tiêu đang áp dụng hôm nay", "Targets in force today"),
    "targets.history": ("Lịch sử chỉ tiêu (không sửa, chỉ thêm)", "Target history (append-only)"),
    "targets.add": ("Thêm chỉ tiêu mới", "Add a target"),
    "targets.metric": ("Chỉ số", "Metric"),
    "targets.scope": ("Phạm vi", "Scope"),
    "targets.scope.city": ("Toàn thành phố", "Whole city"),
    "targets.value": ("Mục tiêu (%)", "Target (%)"),
    "targets.effective_from": ("Áp dụng từ ngày", "Effective from"),
    "targets.effective_to": ("Đến ngày", "Until"),
    "targets.note": ("Căn cứ / ghi chú", "Basis / note"),
    "targets.created_at": ("Ngày nhập", "Entered at"),
    "targets.submit": ("Thêm chỉ tiêu", "Add target"),
    "targets.added": ("Đã thêm chỉ tiêu.", "Target added."),
    "targets.error.bad_metric": ("Chỉ số không hợp lệ.", "Unknown metric."),
    "targets.error.bad_scope": ("Phạm vi không hợp lệ.", "Unknown scope."),
    "targets.error.bad_value": (
        "Mục tiêu phải từ 0 đến 100%.",
        "The target must be between 0 and 100%.",
    ),
    "targets.error.before_latest": (
        "Ngày áp dụng phải sau ngày {latest} của chỉ tiêu gần nhất (lịch sử không được sửa).",
        "The effective date must be after {latest}, the latest target's (history is not edited).",
    ),
    "audit.title": ("Nhật ký truy cập", "Audit log"),
    "audit.date_range": ("Từ ngày – đến ngày", "From – to"),
    "audit.user": ("Người dùng (một phần tên)", "User (part of the name)"),
    "audit.action": ("Thao tác", "Action"),
    "audit.action.all": ("Tất cả thao tác", "All actions"),
    "audit.commune": ("Xã/phường", "Commune/ward"),
    "audit.commune.all": ("Tất cả", "All"),
    "audit.when": ("Thời điểm", "When"),
    "audit.detail": ("Chi tiết", "Detail"),
    "audit.count": ("{n} bản ghi", "{n} records"),
    "audit.download": ("Tải CSV", "Download CSV"),
    "audit.action.sign_in": ("Đăng nhập", "Sign-in"),
    "audit.action.sign_in_failed": ("Đăng nhập thất bại", "Failed sign-in"),
    "audit.action.sign_out": ("Đăng xuất", "Sign-out"),
    "audit.action.session_timeout": ("Hết phiên", "Session timeout"),
    "audit.action.import": ("Nhập dữ liệu", "Import"),
    "audit.action.export": ("Xuất báo cáo", "Export"),
    "audit.action.download": ("Tải xuống", "Download"),
    "audit.action.view_dossiers": ("Xem danh sách hồ sơ", "Viewed a dossier list"),
    "audit.action.target_add": ("Thêm chỉ tiêu", "Target added"),
    "audit.action.user_add": ("Thêm người dùng", "User added"),
    "audit.action.user_remove": ("Xóa người dùng", "User removed"),
    "audit.action.mapping": ("Ánh xạ dữ liệu", "Data mapping"),
    "audit.action.quarantine_delete": ("Xóa dòng bị cách ly", "Quarantined rows deleted"),
    "audit.action.restore": ("Khôi phục bản sao lưu", "Backup restored"),
    # presenter
    "nav.present": ("Trình chiếu", "Presenter mode"),
    "present.too_many": (
        "Liên kết yêu cầu quá nhiều trang; chỉ trình chiếu {n} trang đầu.",
        "The link asks for too many slides; only the first {n} are shown.",
    ),
    "present.prev": ("◀ Trước", "◀ Previous"),
    "present.next": ("Tiếp ▶", "Next ▶"),
    "present.slide_of": ("Trang {n}/{total}", "Slide {n}/{total}"),
    "present.exit": ("Thoát trình chiếu", "Leave presenter mode"),
    "present.weekly": ("Báo cáo tuần", "Weekly report"),
    "present.weekly_help": (
        "Bộ trang chuẩn cho tuần đầy đủ gần nhất (thứ Hai – Chủ nhật)",
        "The standard deck for the last full week (Monday – Sunday)",
    ),
    "present.menu": ("Tải về và chuẩn bị", "Download and prepare"),
    "present.download_pptx": ("Tải PowerPoint (.pptx)", "Download PowerPoint (.pptx)"),
    "present.download_pdf": ("Tải PDF", "Download PDF"),
    "present.download_xlsx": ("Tải bảng số liệu (Excel)", "Download the tables (Excel)"),
    "present.download_png": ("Tải biểu đồ trang này (PNG)", "Download this slide's chart (PNG)"),
    "present.make_png": ("Tạo ảnh biểu đồ trang này (PNG)", "Render this slide's chart (PNG)"),
    "present.png_failed": (
        "Không tạo được ảnh PNG của biểu đồ (máy chủ không vẽ được biểu đồ). "
        "Vui lòng thử lại hoặc báo quản trị hệ thống.",
        "The chart could not be rendered as PNG on the server. "
        "Please try again or contact the administrator.",
    ),
    "present.prepare": ("Chuẩn bị đường dẫn trình chiếu", "Prepare a presentation link"),
    "present.slides": ("Các trang", "Slides"),
    "present.communes": ("Xã/phường đưa ra thảo luận", "Communes to discuss"),
    "present.theme": ("Giao diện", "Theme"),
    "present.theme.dark": ("Tối", "Dark"),
    "present.theme.light": ("Sáng", "Light"),
    "present.auto": (
        "Tự chuyển trang sau (giây, 0 = tắt)",
        "Auto-advance every (seconds, 0 = off)",
    ),
    "present.apply": ("Áp dụng", "Apply"),
    "present.link_help": (
        "Đường dẫn trên thanh địa chỉ giữ các lựa chọn này: sao chép để dùng trong cuộc họp.",
        "The address bar link keeps these choices: copy it for the meeting.",
    ),
    "present.period.week": ("Tuần trước (thứ Hai – Chủ nhật)", "Last full week (Mon – Sun)"),
    "present.period.7d": ("7 ngày qua", "Last 7 days"),
    "present.period.today": ("Hôm nay", "Today"),
    "present.period.month": ("Tháng này", "This month"),
    "present.period.since_start": ("Từ 01/07/2025", "Since 01/07/2025"),
    "present.deck.title": ("Trình chiếu {period}", "Presentation {period}"),
    "present.deck.week": ("Báo cáo tuần {period}", "Weekly report {period}"),
    "present.slide.kpis": ("Chỉ số toàn thành phố", "City KPIs"),
    "present.slide.league": ("Xếp hạng xã/phường", "Commune league table"),
    "present.slide.movers": (
        "Xã/phường thay đổi điểm nhiều nhất",
        "Communes whose score moved most",
    ),
    "present.slide.hourly": ("Tiếp nhận và giải quyết theo giờ", "Hourly flow"),
    "present.slide.land": ("Hồ sơ đất đai quá hạn", "Overdue land dossiers"),
    "present.slide.commune": ("Xã/phường", "Commune"),
    "present.vs_previous": ("so với kỳ trước", "vs previous period"),
    "present.lights_caption": (
        "Số xã/phường đạt / gần đạt / chưa đạt từng mục tiêu",
        "Communes meeting / close to / missing each target",
    ),
    "present.top": ("{n} xã/phường dẫn đầu", "Top {n} communes"),
    "present.bottom": ("{n} xã/phường cuối bảng", "Bottom {n} communes"),
    "present.communes_scored": ("Xã/phường có điểm", "Communes scored"),
    "present.median_score": ("Điểm trung vị", "Median score"),
    "present.moved_up": ("Tăng điểm", "Score up"),
    "present.moved_down": ("Giảm điểm", "Score down"),
    "present.no_movers": ("Không xã/phường nào thay đổi điểm", "No commune's score changed"),
    "present.movers_subtitle": (
        "{period}, so với kỳ liền trước cùng độ dài",
        "{period}, against the previous period of the same length",
    ),
    "present.hourly_subtitle": ("Ngày {day}, đến {at}", "{day}, up to {at}"),
    "present.land_worst": (
        "Xã/phường nhiều hồ sơ đất đai quá hạn nhất",
        "Communes with the most overdue land dossiers",
    ),
    "present.rank_of": ("Hạng {rank}/{total}", "Rank {rank} of {total}"),
    "present.commune_procedures": ("Thủ tục tiếp nhận nhiều nhất", "Most received procedures"),
    "present.commune_overdue": ("Hồ sơ quá hạn / sắp đến hạn", "Overdue / due-soon dossiers"),
    "present.dossiers_hidden": (
        "Danh sách hồ sơ không hiển thị với vai trò của bạn.",
        "Dossier lists are not shown for your role.",
    ),
    "present.col.previous_rank": ("Hạng kỳ trước", "Previous rank"),
    "present.col.kpi": ("Chỉ số", "Indicator"),
    "present.col.value": ("Kỳ này", "This period"),
    "present.col.previous": ("Kỳ trước", "Previous period"),
    "present.col.light": ("Đánh giá", "Status"),
    "present.sheet.rates": ("Chỉ số - tỷ lệ", "KPIs - rates"),
    "present.sheet.counts": ("Chỉ số - số lượng", "KPIs - counts"),
    "present.sheet.ranking": ("Xếp hạng đầy đủ", "Full ranking"),
    "present.sheet.as_of": ("Số liệu đến {at}", "Figures as of {at}"),
    "present.workbook.author": ("Trung tâm điều hành IOC", "IOC operations centre"),
    "present.empty_table": ("Không có dòng nào", "No rows"),
    "present.no_chart": ("Không vẽ được biểu đồ", "The chart could not be drawn"),
    "present.no_tables": ("Không có bảng", "No tables"),
    "present.more_rows": (
        "{shown}/{total} dòng, xem đủ trong tệp Excel",
        "{shown} of {total} rows; all in the Excel file",
    ),
    # --- sessions and wall screens (issue 16: auth.session., wall.) ---
    "auth.session.ended": (
        "Phiên đăng nhập đã kết thúc (đăng xuất ở thẻ khác, hết hạn hoặc tài khoản bị khóa). "
        "Vui lòng đăng nhập lại.",
        "Your session has ended (signed out in another tab, expired, or the account was locked). "
        "Please sign in again.",
    ),
    "audit.action.session_resume": ("Tiếp tục phiên đăng nhập", "Session resumed"),
    "audit.action.session_end": ("Kết thúc các phiên của tài khoản", "Account's sessions ended"),
    "audit.action.wall_issue": ("Cấp liên kết màn hình tường", "Wall screen link issued"),
    "audit.action.wall_revoke": ("Thu hồi màn hình tường", "Wall screen revoked"),
    "audit.action.wall_open": ("Mở màn hình tường", "Wall screen opened"),
    "audit.action.wall_refused": (
        "Từ chối liên kết màn hình tường",
        "Wall screen link refused",
    ),
    "wall.nav": ("Màn hình tường", "Wall screens"),
    "wall.title": ("Màn hình tường", "Wall screens"),
    "wall.caption": (
        "Liên kết cho màn hình treo tường của trung tâm điều hành: mở một lần trên máy trình "
        "chiếu, màn hình tự chuyển trang chiếu và cập nhật số liệu cả ngày, kể cả khi tải lại "
        "trang hay mất mạng một lúc, mà không cần đăng nhập. Màn hình chỉ thấy số liệu tổng hợp "
        "(vai trò trình chiếu), không thấy danh sách hồ sơ, và không mở được trang nào khác.",
        "A link for the operations centre's wall display: opened once on the display's computer, "
        "it moves through the slides and keeps the figures current all day, through reloads and "
        "short network cuts, without anyone signing in. It sees aggregates only (presenter role), "
        "no dossier lists, and cannot open any other page.",
    ),
    "wall.issue": ("Cấp liên kết mới", "Issue a new link"),
    "wall.label": ("Tên màn hình (vị trí đặt)", "Screen name (where it hangs)"),
    "wall.auto": ("Chuyển trang sau (giây)", "Next slide after (seconds)"),
    "wall.days": ("Hiệu lực (ngày)", "Valid for (days)"),
    "wall.submit": ("Cấp liên kết", "Issue the link"),
    "wall.issued": (
        "Đã cấp màn hình {id}. Mở liên kết dưới đây trên máy của màn hình tường. Liên kết chỉ "
        "hiện một lần: hãy sao chép ngay và giữ kín như mật khẩu.",
        "Wall screen {id} issued. Open the link below on the wall display's computer. It is "
        "shown once only: copy it now and keep it as private as a password.",
    ),
    "wall.no_communes": ("Không chọn xã/phường nào", "No commune chosen"),
    "wall.error.label": ("Hãy đặt tên cho màn hình.", "Give the screen a name."),
    "wall.error.slides": ("Hãy chọn ít nhất một trang chiếu.", "Choose at least one slide."),
    "wall.list": ("Các màn hình tường", "Wall screens"),
    "wall.none": ("Chưa cấp màn hình tường nào.", "No wall screen issued yet."),
    "wall.revoke_which": ("Màn hình cần thu hồi", "Screen to revoke"),
    "wall.revoke": ("Thu hồi", "Revoke"),
    "wall.revoked": (
        "Đã thu hồi màn hình {id}: màn hình trở về trang đăng nhập ở lần chuyển trang tới.",
        "Wall screen {id} revoked: the display falls back to the sign-in page at its next slide.",
    ),
    "wall.col.label": ("Tên màn hình", "Screen"),
    "wall.col.id": ("Mã", "ID"),
    "wall.col.state": ("Trạng thái", "State"),
    "wall.col.slides": ("Trang chiếu", "Slides"),
    "wall.col.auto": ("Chuyển trang (giây)", "Next slide (s)"),
    "wall.col.created_by": ("Người cấp", "Issued by"),
    "wall.col.created_at": ("Cấp lúc", "Issued at"),
    "wall.col.expires_at": ("Hết hạn", "Expires"),
    "wall.col.last_used_at": ("Hoạt động gần nhất", "Last seen"),
    "wall.state.active": ("Đang hiệu lực", "Active"),
    "wall.state.expired": ("Hết hạn", "Expired"),
    "wall.state.revoked": ("Đã thu hồi", "Revoked"),
    "wall.link_refused": (
        "Liên kết màn hình tường này không còn hiệu lực.",
        "This wall screen link no longer works.",
    ),
    "wall.link_refused_hint": (
        "Liên kết đã bị thu hồi, hết hạn hoặc không đúng. Hãy xin quản trị viên một liên kết mới.",
        "It was revoked, has expired or is wrong. Ask the administrator for a new link.",
    ),
    # --- meeting actions (issue 16: action.) ---
    "present.slide.actions": ("Việc giao cuộc họp trước", "Actions from the last meeting"),
    "action.slide.subtitle": ("Cuộc họp ngày {day}: {title}", "Meeting of {day}: {title}"),
    "action.slide.note": (
        "Tình trạng đến ngày {today}. Trễ hạn: chưa xong khi đã qua hạn. Kèm các việc còn mở "
        "của các cuộc họp trước.",
        "State as of {today}. Late: not done by its deadline. Open actions of earlier meetings "
        "are included.",
    ),
    "action.slide.speaker_notes": (
        "Mỗi việc giao có xã/phường (hoặc toàn thành phố), nội dung, người chịu trách nhiệm (mặc "
        "định là Chủ tịch UBND xã/phường) và hạn. Đã xong: đã được đánh dấu hoàn thành (ngày, "
        "người đánh dấu). Trễ hạn: chưa xong và hạn đã qua (ngày theo giờ Việt Nam). Đang thực "
        "hiện: chưa xong, chưa đến hạn. Đã xong {done}, trễ hạn {late}, đang thực hiện {open}.",
        "Each action has a commune (or the whole city), what is to be done, an owner (by default "
        "the commune's chair) and a deadline. Done: marked done (day and who). Late: not done and "
        "past its deadline (Vietnam dates). Open: not done, deadline not passed. Done {done}, "
        "late {late}, open {open}.",
    ),
    "action.table": ("Việc giao và tình trạng", "Actions and their state"),
    "action.sheet": ("Việc giao đến {day}", "Actions as of {day}"),
    "action.col.id": ("Số", "No."),
    "action.col.status": ("Tình trạng", "State"),
    "action.col.commune": ("Xã/phường", "Commune"),
    "action.col.what": ("Nội dung", "What"),
    "action.col.owner": ("Người chịu trách nhiệm", "Owner"),
    "action.col.deadline": ("Hạn", "Deadline"),
    "action.col.done_at": ("Ngày xong", "Done on"),
    "action.col.held_on": ("Ngày giao", "Set on"),
    "action.col.days_late": ("Số ngày trễ", "Days late"),
    "action.col.done_by": ("Người báo xong", "Marked done by"),
    "action.status.late": ("Trễ hạn", "Late"),
    "action.status.open": ("Đang thực hiện", "Open"),
    "action.status.done": ("Đã xong", "Done"),
    "action.card.line": (
        "Hạn {deadline} · {owner} · giao ngày {held}",
        "Due {deadline} · {owner} · set on {held}",
    ),
    "action.card.done": ("xong ngày {day}", "done on {day}"),
    "action.owner.chair": ("Chủ tịch UBND ", "Chair of "),
    "action.error.what_empty": ("Nhập nội dung việc giao.", "Enter what is to be done."),
    "action.error.what_long": (
        "Nội dung dài quá {n} ký tự; hãy viết ngắn lại.",
        "The text is longer than {n} characters; shorten it.",
    ),
    "action.error.owner_long": (
        "Tên người chịu trách nhiệm dài quá {n} ký tự.",
        "The owner is longer than {n} characters.",
    ),
    "action.error.owner_needed": (
        "Việc giao cho toàn thành phố cần ghi người chịu trách nhiệm.",
        "A city-wide action needs an owner.",
    ),
    "action.error.commune_unknown": (
        "Không có xã/phường này trong danh mục; chọn lại từ danh sách.",
        "No such commune in the list; pick one from the list.",
    ),
    "action.error.deadline_missing": ("Chọn hạn hoàn thành.", "Pick a deadline."),
    "action.error.deadline_past": (
        "Hạn phải từ hôm nay ({today}) trở đi.",
        "The deadline must be today ({today}) or later.",
    ),
    "action.error.deadline_far": (
        "Hạn xa hơn một năm kể từ hôm nay; kiểm tra lại năm.",
        "The deadline is more than a year away; check the year.",
    ),
    "action.error.title_empty": (
        "Cuộc họp cần có tên (tiêu đề bộ trình chiếu).",
        "The meeting needs a title (the deck's title).",
    ),
    "action.error.duplicate": (
        "Việc này đã được ghi trong cuộc họp (số {n}).",
        "This action is already recorded at the meeting (no. {n}).",
    ),
    "action.error.not_found": (
        "Không tìm thấy việc giao này; tải lại trang.",
        "This action was not found; reload the page.",
    ),
    "action.error.scope": (
        "Vai trò của bạn không được thực hiện thao tác này.",
        "Your role may not do this.",
    ),
    "action.record": ("Ghi việc giao", "Record actions"),
    "action.meeting": (
        "Cuộc họp ngày {day}: {title} · đã ghi {n} việc",
        "Meeting of {day}: {title} · {n} recorded",
    ),
    "action.none_yet": (
        "Chưa ghi việc nào trong cuộc họp này.",
        "No action recorded at this meeting yet.",
    ),
    "action.form.commune": ("Xã/phường", "Commune"),
    "action.form.what": ("Nội dung việc giao", "What is to be done"),
    "action.form.owner": ("Người chịu trách nhiệm", "Owner"),
    "action.form.owner_help": (
        "Để trống: Chủ tịch UBND xã/phường. Bắt buộc với việc của toàn thành phố.",
        "Leave empty for the commune's chair. Required for a city-wide action.",
    ),
    "action.form.deadline": ("Hạn hoàn thành", "Deadline"),
    "action.form.save": ("Ghi việc giao", "Record the action"),
    "action.saved": ("Đã ghi việc giao số {n}.", "Action {n} recorded."),
    "action.update": ("Cập nhật tình trạng", "Update the state"),
    "action.pick": ("Việc", "Action"),
    "action.mark_done": ("Đánh dấu đã xong", "Mark done"),
    "action.reopen": ("Mở lại", "Reopen"),
    "action.updated": ("Đã cập nhật việc số {n}.", "Action {n} updated."),
    "action.edit.title": ("Sửa việc số {n}", "Edit action {n}"),
    "action.edit.save": ("Lưu thay đổi", "Save the changes"),
    "action.edit.unchanged": (
        "Không có gì thay đổi: sửa xã/phường, nội dung, người chịu trách nhiệm hoặc hạn rồi lưu.",
        "Nothing changed: edit the commune, what, owner or deadline, then save.",
    ),
    "action.section": ("Việc được giao", "Actions assigned"),
    "action.section_help": (
        "Việc do cuộc họp giao ban giao cho xã/phường. Khi hoàn thành, đánh dấu đã xong.",
        "What review meetings asked of the commune. Mark an action done when it is finished.",
    ),
    "action.section_none": (
        "Chưa có việc nào được giao cho xã/phường này.",
        "No action has been assigned to this commune.",
    ),
    "action.chair.summary": (
        "Việc được giao: {late} trễ hạn, {open} đang thực hiện",
        "Actions: {late} late, {open} open",
    ),
    "action.chair.due": ("hạn {day}", "due {day}"),
    "audit.action.action_item_add": ("Ghi việc giao", "Action recorded"),
    "audit.action.action_item_change": ("Cập nhật việc giao", "Action changed"),
    # --- meeting slides (issue 16: present.) ---
    "present.slide.cover": ("Những điểm chính của kỳ", "Key messages of the period"),
    "present.cover_subtitle": ("{period} · số liệu đến {at}", "{period} · figures as of {at}"),
    "present.agenda": ("Nội dung cuộc họp", "Meeting agenda"),
    "present.col.number": ("Trang", "Slide"),
    "present.col.agenda": ("Nội dung", "Item"),
    "present.msg.up": (
        "Tăng điểm nhiều nhất: {commune} {change} điểm ({before} → {after}).",
        "Biggest rise: {commune} {change} points ({before} → {after}).",
    ),
    "present.msg.up_none": (
        "Không xã/phường nào tăng điểm so với kỳ trước.",
        "No commune's score rose against the previous period.",
    ),
    "present.msg.down": (
        "Giảm điểm nhiều nhất: {commune} {change} điểm ({before} → {after}).",
        "Biggest drop: {commune} {change} points ({before} → {after}).",
    ),
    "present.msg.down_none": (
        "Không xã/phường nào giảm điểm so với kỳ trước.",
        "No commune's score fell against the previous period.",
    ),
    "present.msg.in_noise": (
        "Mức này trong ngưỡng nhiễu (±{points} điểm).",
        "This is within the noise threshold (±{points} points).",
    ),
    "present.msg.missed_one": (
        "{kpi} {value} (mục tiêu {target})",
        "{kpi} {value} (target {target})",
    ),
    "present.msg.missed": (
        "Toàn thành phố chưa đạt mục tiêu: {items}.",
        "City targets missed: {items}.",
    ),
    "present.msg.all_met": (
        "Toàn thành phố đạt mọi mục tiêu đang áp dụng.",
        "The city meets every target in force.",
    ),
    "present.msg.communes_behind": (
        "{n}/{total} xã/phường chưa đạt ít nhất một mục tiêu.",
        "{n} of {total} communes miss at least one target.",
    ),
    "present.msg.overdue_up": (
        "Hồ sơ quá hạn đang xử lý: {now}, tăng {change} so với cuối kỳ trước ({before}).",
        "Open overdue dossiers: {now}, up {change} from the end of the previous period ({before}).",
    ),
    "present.msg.overdue_down": (
        "Hồ sơ quá hạn đang xử lý: {now}, giảm {change} so với cuối kỳ trước ({before}).",
        "Open overdue dossiers: {now}, down {change} from the end of the previous period"
        " ({before}).",
    ),
    "present.msg.overdue_same": (
        "Hồ sơ quá hạn đang xử lý: {now}, không đổi so với cuối kỳ trước.",
        "Open overdue dossiers: {now}, unchanged from the end of the previous period.",
    ),
    "present.slide.trends": (
        "Xu hướng 12 tuần của các chỉ số có mục tiêu",
        "12-week trend of each targeted KPI",
    ),
    "present.slide.trend": ("{kpi}: 12 tuần so với mục tiêu", "{kpi}: 12 weeks against the target"),
    "present.trend_subtitle": (
        "{n} tuần đầy đủ (thứ Hai – Chủ nhật), {weeks}, toàn thành phố",
        "{n} full weeks (Monday – Sunday), {weeks}, whole city",
    ),
    "present.last_week": ("Tuần {week}", "Week {week}"),
    "present.rows_shown": ("{shown}/{total} dòng", "{shown} of {total} rows"),
    "present.score_range": ("Điểm thấp nhất – cao nhất", "Lowest – highest score"),
    "present.weeks_met": ("Số tuần đạt mục tiêu", "Weeks on target"),
    "present.no_target": ("Chưa đặt mục tiêu", "No target set"),
    "present.weeks_met_value": ("{met}/{total}", "{met} of {total}"),
    "present.missing_to_target": (
        "Còn thiếu để đạt (tuần cuối)",
        "Short of the target (last week)",
    ),
    "present.missing_unit.online_rate": ("hồ sơ trực tuyến", "online dossiers"),
    "present.missing_unit.end_to_end_rate": ("hồ sơ toàn trình", "end-to-end dossiers"),
    "present.missing_unit.on_time_rate": ("hồ sơ giải quyết đúng hạn", "dossiers resolved on time"),
    "present.missing_unit.online_payment_rate": (
        "hồ sơ thanh toán trực tuyến",
        "dossiers paid online",
    ),
    "present.missing_unit.digitized_rate": ("hồ sơ được số hóa", "digitised dossiers"),
    "present.weeks_overall": ("Cả {n} tuần", "All {n} weeks"),
    "present.sheet.trend": ("12 tuần - {kpi}", "12 weeks - {kpi}"),
    "present.col.week_from": ("Từ ngày", "From"),
    "present.col.week_to": ("Đến ngày", "To"),
    "present.col.numerator": ("Tử số", "Numerator"),
    "present.col.denominator": ("Mẫu số", "Denominator"),
    "present.col.rate": ("Tỷ lệ", "Rate"),
    "present.col.share": ("Tỷ trọng", "Share"),
    "present.col.previous_score": ("Điểm kỳ trước", "Previous score"),
    "present.col.verdict": ("Đánh giá thay đổi", "Change"),
    "present.verdict.noise": ("trong ngưỡng nhiễu", "within noise"),
    "present.verdict.real": ("vượt ngưỡng nhiễu", "beyond noise"),
    "present.noise_rule": (
        "Thay đổi từ ±{points} điểm trở xuống: trong ngưỡng nhiễu (dao động thường gặp giữa hai"
        " kỳ liền nhau), chưa nói lên thay đổi thật.",
        "A change of ±{points} points or less is within the noise threshold (the ordinary"
        " swing between two periods) and not a real change.",
    ),
    "present.noise_none": (
        "Chưa đủ số liệu các kỳ trước để tính ngưỡng nhiễu.",
        "Too little history to work out the noise threshold.",
    ),
    "present.noise_line": ("Ngưỡng nhiễu ±{points} điểm", "Noise threshold ±{points} points"),
    "present.slide.overdue": ("Hồ sơ quá hạn đang xử lý", "Open overdue dossiers"),
    "present.overdue_subtitle": (
        "Theo xã/phường, thủ tục và số ngày làm việc quá hạn, đến {at}",
        "By commune, procedure and working days late, as of {at}",
    ),
    "present.late_bucket.0": ("≤ 5 ngày làm việc", "≤ 5 working days"),
    "present.late_bucket.1": ("6–10 ngày làm việc", "6–10 working days"),
    "present.late_bucket.2": ("11–20 ngày làm việc", "11–20 working days"),
    "present.late_bucket.3": ("> 20 ngày làm việc", "> 20 working days"),
    "present.col.days_late": ("Quá hạn", "Late by"),
    "present.late_longest": ("Quá hạn {bucket}", "Late {bucket}"),
    "present.communes_with_overdue": ("Xã/phường có hồ sơ quá hạn", "Communes with overdue"),
    "present.of_communes": ("trên {total} xã/phường", "of {total} communes"),
    "present.overdue_procedures": ("Theo thủ tục", "By procedure"),
    "present.overdue_days": ("Theo số ngày quá hạn", "By days late"),
    "present.other_procedures": ("Các thủ tục khác", "Other procedures"),
    "present.overdue_rest": (
        "Biểu đồ: {shown} xã/phường nhiều hồ sơ quá hạn nhất; {others} xã/phường còn lại có {rest}"
        " hồ sơ quá hạn (đủ trong tệp Excel).",
        "Chart: the {shown} communes with the most overdue dossiers; the other {others} communes"
        " hold {rest} (all in the Excel file).",
    ),
    "present.sheet.overdue_communes": ("Quá hạn theo xã-phường", "Overdue by commune"),
    "present.sheet.overdue_procedures": ("Quá hạn theo thủ tục", "Overdue by procedure"),
    "present.slide.late": ("Ai đang chậm: xã/phường và người chịu trách nhiệm", "Who is late"),
    "present.communes_late": ("Xã/phường đang chậm", "Communes behind"),
    "present.late_top_share": ("{n} xã/phường đầu bảng chiếm", "The first {n} hold"),
    "present.below_on_time": ("Dưới mục tiêu đúng hạn", "Below the on-time target"),
    "present.late_table": (
        "{n}/{total} xã/phường nhiều hồ sơ quá hạn nhất",
        "{n} of {total} communes, most overdue first",
    ),
    "present.col.owner": ("Người chịu trách nhiệm", "Owner"),
    "present.owner": ("Chủ tịch UBND {commune}", "Chair of the {commune} People's Committee"),
    "present.owner_rule": (
        "Đang chậm: có hồ sơ quá hạn hoặc tỷ lệ đúng hạn dưới mục tiêu. Người chịu trách nhiệm:"
        " Chủ tịch UBND xã/phường (trong ngoặc: tài khoản chủ tịch trên hệ thống).",
        "Behind: overdue dossiers, or an on-time rate below its target. Owner: the chair of the"
        " commune's People's Committee (in brackets: the chair's account on the system).",
    ),
    "present.sheet.late": ("Xã-phường đang chậm", "Communes behind"),
    "present.axis.rate": ("Tỷ lệ (%)", "Rate (%)"),
    "present.axis.communes": ("Số xã/phường", "Communes"),
    "present.axis.hour": ("Giờ trong ngày", "Hour of the day"),
    "present.axis.dossiers": ("Số hồ sơ", "Dossiers"),
    "present.axis.week": ("Tuần (từ thứ Hai)", "Week (from Monday)"),
    "present.axis.overdue": ("Số hồ sơ quá hạn", "Overdue dossiers"),
    "present.axis.score_change": ("Thay đổi điểm (điểm /100)", "Score change (points of 100)"),
    "present.notes.period": (
        "Kỳ số liệu: {period}; số liệu đến {at} (giờ Việt Nam).",
        "Period: {period}; figures as of {at} (Vietnam time).",
    ),
    "present.def.key_messages": (
        "Các thông điệp được tính từ số liệu của bộ trình chiếu: xã/phường tăng và giảm điểm"
        " nhiều nhất so với kỳ liền trước cùng độ dài, các mục tiêu toàn thành phố chưa đạt,"
        " và số hồ sơ quá hạn so với cuối kỳ trước.",
        "The messages are computed from the deck's figures: the communes whose score rose and"
        " fell most against the previous period of the same length, the city targets missed,"
        " and the overdue dossiers against the end of the previous period.",
    ),
    "present.def.received": (
        "Hồ sơ tiếp nhận: hồ sơ có ngày tiếp nhận trong kỳ, trừ hồ sơ mới đăng ký hoặc bị từ chối.",
        "Received: dossiers received on a day of the period, except registered or rejected ones.",
    ),
    "present.def.resolved": (
        "Hồ sơ đã giải quyết: trạng thái đã xong hoặc đã trả, ngày hoàn thành trong kỳ.",
        "Resolved: finished or returned, finished on a day of the period.",
    ),
    "present.def.online_rate": (
        "Tỷ lệ trực tuyến = hồ sơ tiếp nhận qua kênh trực tuyến / hồ sơ tiếp nhận.",
        "Online rate = dossiers received online / dossiers received.",
    ),
    "present.def.end_to_end_rate": (
        "Tỷ lệ toàn trình = hồ sơ trực tuyến của thủ tục toàn trình / tất cả hồ sơ tiếp nhận"
        " (chỉ tiêu ≥ 20% của Hà Nội).",
        "End-to-end rate = online dossiers of full-service procedures / all dossiers received"
        " (Hanoi's ≥ 20% KPI).",
    ),
    "present.def.on_time_rate": (
        "Tỷ lệ đúng hạn = hồ sơ giải quyết không muộn hơn ngày hẹn / hồ sơ đã giải quyết"
        " (so theo ngày; hồ sơ không có hạn tính là đúng hạn).",
        "On-time rate = dossiers resolved by their due day / dossiers resolved (compared by"
        " day; no due date counts as on time).",
    ),
    "present.def.online_payment_rate": (
        "Tỷ lệ thanh toán trực tuyến = hồ sơ trả phí trực tuyến / hồ sơ có phí.",
        "Online payment rate = dossiers paid online / dossiers with a fee.",
    ),
    "present.def.digitized_rate": (
        "Tỷ lệ số hóa = hồ sơ được số hóa / hồ sơ tiếp nhận.",
        "Digitisation rate = digitised dossiers / dossiers received.",
    ),
    "present.def.open_at_end": (
        "Đang xử lý: hồ sơ đã tiếp nhận đến cuối kỳ, chưa hoàn thành vào cuối ngày cuối kỳ"
        " (không tính hồ sơ bị từ chối, rút, dừng).",
        "Open: received by the end of the period and not finished at the end of its last day"
        " (rejected, withdrawn and stopped ones excluded).",
    ),
    "present.def.open_overdue": (
        "Quá hạn đang xử lý: hồ sơ đang xử lý có ngày hẹn trước ngày lấy số liệu.",
        "Open overdue: open dossiers whose due day is before the day the figures are taken.",
    ),
    "present.def.open_due_soon": (
        "Sắp đến hạn: hồ sơ đang xử lý, chưa quá hạn, hạn trước hết ngày làm việc kế tiếp.",
        "Due soon: open, not overdue, due by the next working day.",
    ),
    "present.def.light": (
        "Đánh giá: đạt khi tỷ lệ ≥ mục tiêu; gần đạt khi kém mục tiêu không quá 10 điểm %;"
        " chưa đạt khi thấp hơn. Mục tiêu là mục tiêu đang áp dụng vào ngày cuối kỳ.",
        "Status: met at or above the target; close within 10 points below; not met below"
        " that. The target is the one in force on the period's last day.",
    ),
    "present.def.change": (
        "Thay đổi: so với kỳ liền trước có cùng độ dài (tỷ lệ: điểm %; số hồ sơ quá hạn: so"
        " với cuối kỳ trước). Thay đổi bằng 0 ghi “=”.",
        "Change: against the previous period of the same length (rates in points; overdue"
        " dossiers against the end of the previous period). No change reads “=”.",
    ),
    "present.def.weeks": (
        "Mỗi cột là một tuần đầy đủ từ thứ Hai đến Chủ nhật ({weeks}); tỷ lệ tính trên số"
        " hồ sơ của tuần, cả thành phố; đường gạch là mục tiêu đang áp dụng cuối mỗi tuần."
        " “Cả 12 tuần” = tổng tử số / tổng mẫu số của các tuần.",
        "Each bar is a full week, Monday to Sunday ({weeks}); the rate is over the week's"
        " dossiers, whole city; the dashed line is the target in force at each week's end."
        " “All 12 weeks” = the weeks' numerators over their denominators, summed.",
    ),
    "present.def.missing_to_target": (
        "Còn thiếu: số hồ sơ đạt tiêu chí cần có thêm trong tuần cuối để tỷ lệ chạm mục tiêu.",
        "Short of the target: how many more qualifying dossiers the last week needed to reach"
        " the target.",
    ),
    "present.def.score": (
        "Điểm (/100): ước tính theo QĐ 766 từ các nhóm tính được từ hồ sơ (tiến độ 20,"
        " trực tuyến 6, toàn trình 6, thanh toán trực tuyến 10, số hóa 22), mỗi nhóm = điểm"
        " tối đa × min(1, tỷ lệ / mục tiêu), quy về thang 100.",
        "Score (of 100): the Decision 766 estimate over the groups a dossier export supports"
        " (progress 20, online 6, end-to-end 6, online payment 10, digitisation 22), each max"
        " × min(1, rate / target), rescaled to 100.",
    ),
    "present.def.score_change": (
        "Thay đổi điểm = điểm kỳ này − điểm kỳ liền trước cùng độ dài.",
        "Score change = this period's score − the previous period's of the same length.",
    ),
    "present.def.rank": (
        "Hạng: theo điểm giảm dần; bằng điểm thì theo tỷ lệ trực tuyến, rồi mã xã/phường.",
        "Rank: by score descending; ties by online rate, then commune code.",
    ),
    "present.def.rank_change": (
        "Thay đổi hạng = hạng kỳ trước − hạng kỳ này (dương: tăng hạng).",
        "Rank change = previous rank − rank now (positive: moved up).",
    ),
    "present.def.thin_data": (
        "Xã/phường tiếp nhận dưới 30 hồ sơ trong kỳ vẫn được xếp hạng nhưng ít dữ liệu.",
        "A commune with fewer than 30 received dossiers is ranked but has thin data.",
    ),
    "present.def.noise": (
        "Ngưỡng nhiễu (±{points} điểm): lấy mọi thay đổi điểm giữa hai kỳ liền nhau của tất"
        " cả xã/phường trong {periods} lần thay đổi trước kỳ này; ngưỡng = 2 × 1,4826 ×"
        " trung vị độ lệch tuyệt đối so với trung vị (≈ 2 độ lệch chuẩn, không bị vài biến"
        " động lớn kéo lệch). Khoảng 95% dao động thông thường nằm trong ngưỡng; thay đổi"
        " nhỏ hơn ngưỡng ghi “trong ngưỡng nhiễu”. Ít hơn 10 thay đổi: không tính ngưỡng.",
        "Noise threshold (±{points} points): every commune's score change between two"
        " consecutive periods over the {periods} changes before this one; threshold = 2 ×"
        " 1.4826 × the median absolute deviation from the median (≈ 2 standard deviations,"
        " not pulled by a few large jumps). About 95% of ordinary swings fall inside it; a"
        " smaller change reads “within noise”. Fewer than 10 changes: no threshold.",
    ),
    "present.def.days_late": (
        "Số ngày quá hạn: số ngày làm việc (trừ thứ Bảy, Chủ nhật, ngày lễ) sau ngày hẹn đến"
        " hết ngày lấy số liệu. Hồ sơ hẹn thứ Sáu, tính vào Chủ nhật: quá hạn theo ngày lịch"
        " nhưng 0 ngày làm việc, nằm ở nhóm ≤ 5.",
        "Days late: working days (no weekends or public holidays) after the due day up to the"
        " day the figures are taken. Due on a Friday, counted on Sunday: overdue by calendar"
        " day but 0 working days late, in the ≤ 5 group.",
    ),
    "present.def.owner": (
        "Đang chậm: xã/phường có hồ sơ quá hạn hoặc tỷ lệ đúng hạn dưới mục tiêu (nếu có"
        " mục tiêu); người chịu trách nhiệm là Chủ tịch UBND xã/phường.",
        "Behind: a commune with overdue dossiers or an on-time rate below its target (when"
        " set); the owner is the chair of the commune's People's Committee.",
    ),
    "present.def.hourly": (
        "Theo giờ: hồ sơ tiếp nhận / giải quyết trong từng giờ của ngày; đường gạch là mức"
        " thường gặp = trung bình cùng thứ, cùng giờ của 4 tuần trước.",
        "Hourly: dossiers received / resolved in each hour of the day; the dashed line is the"
        " usual = mean of the same weekday and hour over the previous 4 weeks.",
    ),
    "present.def.land": (
        "Hồ sơ đất đai: hồ sơ của các thủ tục đất đai; màu của mỗi xã/phường theo số hồ sơ"
        " đất đai quá hạn.",
        "Land dossiers: dossiers of land procedures; each commune shaded by its overdue land"
        " dossiers.",
    ),
    "present.def.city_median": (
        "Đường chấm: trung vị của cùng tỷ lệ trên các xã/phường của thành phố trong từng tuần.",
        "Dotted lines: the median of the same rate over the city's communes, week by week.",
    ),
    # --- the national index (issue 18: index.) ---
    "index.title": ("Chỉ số phục vụ (Quyết định 766)", "Service index (Decision 766)"),
    "index.caption": (
        "Chỉ số phục vụ người dân, doanh nghiệp theo Quyết định 766/QĐ-TTg, tính như Cổng Dịch vụ"
        " công quốc gia, trên thang 100 điểm. Chỉ tiêu chưa có dữ liệu không được tính điểm và"
        " không quy đổi lại.",
        "The citizen and business service index of Decision 766/QĐ-TTg, computed as the national"
        " portal computes it, out of 100 points. An indicator without data earns nothing and is"
        " never rescaled away.",
    ),
    "index.total": ("Chỉ số 766 (/100 điểm)", "Index 766 (/100 points)"),
    "index.possible": (
        "Dữ liệu hiện có cho phép tính {possible} / 100 điểm; {missing} điểm chưa có dữ liệu.",
        "The data at hand covers {possible} of the 100 points; {missing} points have no data yet.",
    ),
    "index.missing_list": ("Chưa tính: {items}", "Not scored: {items}"),
    "index.missing_item": ("{code} ({points} điểm)", "{code} ({points} points)"),
    "index.city": ("Chỉ số 766 thành phố", "City index 766"),
    "index.city_help": (
        "Chỉ số phục vụ theo Quyết định 766 tính trên mọi hồ sơ của thành phố; {possible} / 100"
        " điểm có dữ liệu.",
        "The Decision 766 service index over every dossier of the city; {possible} of the 100"
        " points have data.",
    ),
    "index.no_data": ("chưa có dữ liệu", "no data yet"),
    "index.no_formula": ("chưa có công thức", "no formula described"),
    "index.points_of": ("{earned} / {possible}", "{earned} / {possible}"),
    "index.col.group": ("Nhóm", "Group"),
    "index.col.indicator": ("Chỉ tiêu", "Indicator"),
    "index.col.value": ("Giá trị", "Value"),
    "index.col.threshold": ("Ngưỡng đạt điểm tối đa", "Full points at"),
    "index.col.points": ("Điểm đạt / tối đa", "Points earned / possible"),
    "index.col.figure": ("Chỉ tiêu", "Figure"),
    "index.col.dashboard": ("Cách tính của bảng điều hành", "Dashboard's definition"),
    "index.col.index": ("Chỉ số 766", "Index 766"),
    "index.col.why": ("Vì sao khác", "Why they differ"),
    "index.compare": ("Hai cách tính", "Two definitions"),
    "index.group_line": ("{group}: {earned} / {total} điểm", "{group}: {earned} / {total} points"),
    "index.group_part": (
        "{group}: {earned} / {total} điểm (có dữ liệu cho {shown} điểm)",
        "{group}: {earned} / {total} points (data for {shown} points)",
    ),
    "index.group_none": (
        "{group}: chưa có dữ liệu ({total} điểm)",
        "{group}: no data yet ({total} points)",
    ),
    "index.group.publicity": ("Công khai, minh bạch", "Publicity and transparency"),
    "index.group.progress": ("Tiến độ, kết quả giải quyết", "Progress and results"),
    "index.group.online": ("Cung cấp dịch vụ trực tuyến", "Online service"),
    "index.group.satisfaction": ("Mức độ hài lòng", "Satisfaction"),
    "index.group.digitisation": ("Số hóa hồ sơ", "Digitisation"),
    "index.ind.i1_1": ("Công bố thủ tục hành chính đúng hạn", "Procedures announced on time"),
    "index.ind.i1_2": (
        "Thủ tục đang dùng được công khai trên Cơ sở dữ liệu quốc gia",
        "Procedures in use published in the national database",
    ),
    "index.ind.i1_3": ("Thủ tục công khai đầy đủ các bộ phận", "Procedures published in full"),
    "index.ind.i1_4": (
        "Hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia",
        "Dossiers synchronised to the national portal",
    ),
    "index.ind.i2_1": (
        "Hồ sơ giải quyết đúng hạn và đang giải quyết còn hạn",
        "Dossiers handled on time or still within time",
    ),
    "index.ind.i2_2": ("Thời gian giải quyết trung bình", "Mean handling time"),
    "index.ind.i3_1": ("Thủ tục cung cấp dịch vụ trực tuyến", "Procedures offered online"),
    "index.ind.i3_2": (
        "Dịch vụ trực tuyến phát sinh hồ sơ",
        "Online services that received dossiers",
    ),
    "index.ind.i3_3": (
        "Hồ sơ trực tuyến (theo kênh nộp, nhân tỷ lệ đồng bộ)",
        "Online dossiers (by channel, times the synchronisation rate)",
    ),
    "index.ind.i3_5": (
        "Thủ tục có phí, lệ phí thanh toán được trực tuyến",
        "Fee-bearing procedures payable online",
    ),
    "index.ind.i3_6": ("Hồ sơ thanh toán trực tuyến", "Dossiers paid online"),
    "index.ind.i5_1": ("Phản ánh, kiến nghị theo loại", "Feedback by category"),
    "index.ind.i5_2": ("Phản ánh, kiến nghị xử lý đúng hạn", "Feedback handled on time"),
    "index.ind.i5_3": (
        "Hài lòng với xử lý phản ánh, kiến nghị",
        "Satisfaction with feedback handling",
    ),
    "index.ind.i5_4": ("Hài lòng với giải quyết hồ sơ", "Satisfaction with dossier handling"),
    "index.ind.i4_1": ("Hồ sơ có kết quả điện tử", "Dossiers with an electronic result"),
    "index.ind.i4_2": ("Hồ sơ được số hóa", "Dossiers digitised"),
    "index.ind.i4_3": ("Hồ sơ tái sử dụng dữ liệu số hóa", "Dossiers reusing digitised data"),
    "index.ind.i4_4": (
        "Hồ sơ số hóa liên kết kho dữ liệu công dân",
        "Digitised dossiers linked to the citizen's data store",
    ),
    "index.ind.i4_5": (
        "Sử dụng Cơ sở dữ liệu quốc gia về dân cư",
        "Use of the population database",
    ),
    "index.diff.i2_1": (
        "Bảng điều hành so theo ngày, hồ sơ thiếu hạn trả tính là đúng hạn; Chỉ số 766 so theo giờ,"
        " trừ thời gian chờ bổ sung, dùng thời hạn tối đa của thủ tục khi thiếu hạn trả, hai lần"
        " yêu cầu bổ sung là trễ hạn.",
        "The dashboard compares days and counts a missing due date as on time; index 766 compares"
        " times, subtracts supplement time, uses the procedure's maximum time without a due date,"
        " and two supplement requests make a dossier late.",
    ),
    "index.diff.i3_3": (
        "Bảng điều hành chia cho hồ sơ đã tiếp nhận; Chỉ số 766 tính cả hồ sơ mới nộp, chỉ đếm hồ"
        " sơ trực tuyến có kết quả điện tử khi kết quả là giấy, rồi nhân tỷ lệ đồng bộ (đạt điểm"
        " tối đa ở 50%).",
        "The dashboard divides by received dossiers; index 766 counts submitted ones too, counts an"
        " online dossier only with an electronic result where the result is paper, then multiplies"
        " by the synchronisation rate (full points at 50%).",
    ),
    "league.col.index_766": ("Chỉ số 766 (/100)", "Index 766 (/100)"),
    "league.index_note": (
        "Điểm (/100) là điểm ước tính của bảng điều hành (quy đổi từ các nhóm có dữ liệu); Chỉ số"
        " 766 (/100) tính như Cổng Dịch vụ công quốc gia, không quy đổi điểm chưa có dữ liệu."
        " Chọn cột để sắp xếp theo một trong hai.",
        "Score (/100) is the dashboard's estimate (rescaled from the groups with data); Index 766"
        " (/100) is computed as the national portal does, points without data never rescaled."
        " Sort by either.",
    ),
    # --- capacity (issue 19: capacity.) ---
    "audit.action.secondment": ("Ghi nhận biệt phái cán bộ", "Secondment recorded"),
    "nav.capacity": ("Năng lực xử lý", "Processing capacity"),
    "capacity.title": ("Năng lực xử lý", "Processing capacity"),
    "capacity.caption": (
        "Tải việc trên mỗi cán bộ theo xã/phường, hàng đợi 10 ngày làm việc tới và nơi cần tăng "
        "cường cán bộ. Ngày công lấy từ danh sách cán bộ (bộ phận, thời gian, tỷ lệ thời gian) và "
        "các đợt biệt phái đã ghi nhận; định nghĩa tại docs/capacity.md.",
        "Workload per officer by commune, the queue over the next 10 working days and where more "
        "officers are needed. Officer-days come from the staffing roster (desk, dates, share of "
        "time) and the secondments recorded; definitions in docs/capacity.md.",
    ),
    "capacity.league": ("Tải trên mỗi cán bộ theo xã/phường", "Load per officer by commune"),
    "capacity.officers": ("Cán bộ (quy đổi)", "Officers (full-time equivalent)"),
    "capacity.officer_days": ("Ngày công", "Officer-days"),
    "capacity.received_per_officer_day": (
        "Hồ sơ tiếp nhận / ngày công",
        "Received per officer-day",
    ),
    "capacity.steps_per_officer_day": ("Bước xử lý / ngày công", "Steps per officer-day"),
    "capacity.open_per_officer": ("Hồ sơ đang xử lý / cán bộ", "Open per officer"),
    "capacity.overdue_share": ("Tỷ lệ quá hạn trong hàng đợi", "Overdue share of the queue"),
    "capacity.officer_id": ("Mã cán bộ", "Officer id"),
    "capacity.officer_name": ("Họ tên (che)", "Name (masked)"),
    "capacity.desk": ("Bộ phận", "Desk"),
    "capacity.seconded_from": ("Biệt phái từ", "Seconded from"),
    "capacity.open": ("Đang xử lý", "Open"),
    "capacity.overdue": ("Quá hạn", "Overdue"),
    "capacity.officers_title": ("Cán bộ gánh nhiều việc nhất", "Officers carrying the most"),
    "capacity.officers_hidden": (
        "Danh sách cán bộ chỉ hiển thị cho lãnh đạo thành phố và chủ tịch xã/phường (của xã mình).",
        "Officers are shown only to city leaders and to a ward chair (own commune).",
    ),
    "capacity.no_roster": (
        "Chưa có danh sách cán bộ cho phạm vi này: nhập tệp danh sách cán bộ ở trang Nhập dữ liệu.",
        "No staffing roster for this scope: import a roster file on the Data import page.",
    ),
    "capacity.projection_title": (
        "Dự báo hàng đợi 10 ngày làm việc tới",
        "Queue over the next 10 working days",
    ),
    "capacity.model": (
        "Mô hình: hồ sơ đến theo tốc độ tiếp nhận bình quân {window} ngày làm việc gần nhất, với "
        "thời hạn theo cơ cấu thủ tục gần đây; năng lực mỗi ngày = số hồ sơ giải quyết trên một "
        "ngày công trong {window} ngày đó × số cán bộ có mặt ngày đó (danh sách cán bộ và biệt "
        "phái; không có danh sách: tốc độ giải quyết gần đây). Mỗi ngày xử lý trước hồ sơ đến hạn "
        "trong ngày, rồi hồ sơ quá hạn (hạn sớm trước), rồi hồ sơ còn hạn theo hạn trả. "
        "Hồ sơ quá hạn: hạn trả trước ngày đó. Dự báo {horizon} ngày làm việc.",
        "Model: dossiers arrive at the average receiving rate of the last {window} working "
        "days, with due dates by the recent mix of procedures; each day's capacity = dossiers "
        "resolved per officer-day over those {window} days × the officers on duty that day "
        "(roster and secondments; without a roster: the recent resolving rate). Each day serves "
        "first what is due that day, then the overdue (earliest due first), then the rest by due "
        "date. Overdue: due before that day. {horizon} working days ahead.",
    ),
    "capacity.received_per_day": ("Tiếp nhận / ngày", "Received per day"),
    "capacity.resolved_per_day": ("Giải quyết / ngày", "Resolved per day"),
    "capacity.open_now": ("Đang xử lý hiện nay", "Open now"),
    "capacity.overdue_now": ("Quá hạn hiện nay", "Overdue now"),
    "capacity.overdue_end": ("Quá hạn sau 10 ngày", "Overdue in 10 days"),
    "capacity.verdict": ("Kết luận", "Verdict"),
    "capacity.verdict.clear": ("Không có hồ sơ quá hạn", "Nothing overdue"),
    "capacity.verdict.clears": ("Hết quá hạn từ {date}", "No overdue from {date}"),
    "capacity.verdict.late": (
        "Không kịp — thiếu {days} ngày công",
        "Không kịp (will not clear) — {days} officer-days short",
    ),
    "capacity.verdict.late_no_roster": (
        "Không kịp (chưa có danh sách cán bộ để tính ngày công thiếu)",
        "Không kịp (will not clear; no roster to count the officer-days short)",
    ),
    "capacity.late_count": (
        "**{late}** / {total} xã/phường không kịp giải quyết hết hồ sơ quá hạn trong 10 ngày làm "
        "việc tới.",
        "**{late}** of {total} communes will not clear their overdue dossiers in the next 10 "
        "working days.",
    ),
    "capacity.commune_title": ("Năng lực xử lý của xã/phường", "The commune's processing capacity"),
    "capacity.commune_verdict": (
        "Đang xử lý {open} hồ sơ, {overdue} quá hạn. {verdict}.",
        "{open} dossiers open, {overdue} overdue. {verdict}.",
    ),
    "capacity.allocate_title": ("Tăng cường cán bộ: đưa về đâu?", "Where to send more officers"),
    "capacity.officers_to_send": ("Số cán bộ tăng cường", "Officers to second"),
    "capacity.weeks": ("Số tuần", "Weeks"),
    "capacity.assumptions": (
        "Giả định: mỗi cán bộ tăng cường làm toàn thời gian từ ngày làm việc tới, giải quyết bằng "
        "một cán bộ của xã đó trong {window} ngày làm việc gần nhất (xã chưa có danh sách: mức "
        "trung vị các xã), không cần thời gian làm quen; hồ sơ đến như gần đây. Lần lượt từng "
        "người được đưa về nơi giảm được nhiều hồ sơ quá hạn nhất vào cuối đợt.",
        "Assumptions: each seconded officer works full time from the next working day and "
        "resolves what one of the commune's officers resolved over the last {window} working "
        "days (the median of the communes where it has no roster), with no time to settle in; "
        "dossiers keep arriving as lately. One by one, each goes where they leave the fewest "
        "overdue dossiers at the end of the period.",
    ),
    "capacity.allocate_none": (
        "Không xã/phường nào giảm được hồ sơ quá hạn nhờ thêm cán bộ.",
        "No commune would have fewer overdue dossiers with more officers.",
    ),
    "capacity.officers_sent": ("Số cán bộ", "Officers"),
    "capacity.overdue_before": ("Quá hạn cuối đợt (không thêm)", "Overdue at the end (as is)"),
    "capacity.overdue_after": ("Quá hạn cuối đợt (có thêm)", "Overdue at the end (with them)"),
    "capacity.on_time_before": ("Đúng hạn (trước)", "On time (before)"),
    "capacity.on_time_after": ("Đúng hạn (sau)", "On time (after)"),
    "capacity.record": ("Ghi nhận đợt biệt phái", "Record a secondment"),
    "capacity.record_button": ("Ghi nhận", "Record"),
    "capacity.record_dates": ("Chọn ngày bắt đầu và ngày kết thúc.", "Pick a first and last day."),
    "capacity.recorded": (
        "Đã ghi nhận đợt biệt phái về {commune}.",
        "Secondment to {commune} recorded.",
    ),
    "capacity.note": ("Ghi chú", "Note"),
    "capacity.effects_title": ("Các đợt biệt phái: trước và sau", "Secondments: before and after"),
    "capacity.no_secondments": ("Chưa ghi nhận đợt biệt phái nào.", "No secondment recorded yet."),
    "capacity.from_date": ("Từ ngày", "From"),
    "capacity.to_date": ("Đến ngày", "To"),
    "capacity.resolved_before": ("Giải quyết/ngày (trước)", "Resolved/day (before)"),
    "capacity.resolved_after": ("Giải quyết/ngày (từ khi có)", "Resolved/day (since)"),
    "capacity.overdue_at_start": ("Quá hạn khi bắt đầu", "Overdue at the start"),
    "capacity.overdue_since": ("Quá hạn hiện nay", "Overdue now"),
    "ingest.reason.no_officer": (
        "Thiếu mã cán bộ và họ tên cán bộ",
        "No officer id and no officer name",
    ),
    "ingest.reason.no_desk": ("Thiếu bộ phận công tác", "No desk or department"),
    "ingest.reason.no_from_date": ("Thiếu ngày bắt đầu (Từ ngày)", "No first day (Từ ngày)"),
    "ingest.reason.bad_share": (
        "Tỷ lệ thời gian không đọc được hoặc ngoài khoảng 0–100%: «{value}»",
        "Unreadable share of time, or outside 0–100%: «{value}»",
    ),
    "ingest.reason.roster_conflict": (
        "Cán bộ «{value}» có nhiều dòng cùng bộ phận và ngày bắt đầu nhưng khác nội dung",
        "Officer «{value}» has several rows with the same desk and first day but different values",
    ),
    "ingest.reason.no_procedure": ("Thiếu mã thủ tục", "No procedure code"),
    "ingest.reason.bad_flag": (
        "Cột «{column}» không đọc được là có/không: «{value}»",
        "Column «{column}» is not a yes or no: «{value}»",
    ),
    "ingest.reason.unknown_procedure": (
        "Mã thủ tục «{value}» chưa có trong danh mục và dòng không có tên thủ tục",
        "Procedure code «{value}» is not in the catalogue and the row has no procedure name",
    ),
    "ingest.reason.catalogue_conflict": (
        "Mã thủ tục «{value}» xuất hiện nhiều lần với giá trị khác nhau",
        "Procedure code «{value}» is given several times with different values",
    ),
    # --- capacity map (issue 19: capacity.map.) ---
    "capacity.map.legend": (
        "Kết luận sau {horizon} ngày làm việc",
        "Verdict after {horizon} working days",
    ),
    "capacity.map.class.clear": ("Không có hồ sơ quá hạn", "Nothing overdue"),
    "capacity.map.class.clears": ("Hết quá hạn trong kỳ dự báo", "Clears its overdue in time"),
    "capacity.map.class.late_falling": (
        "Không kịp, quá hạn giảm dần",
        "Không kịp (will not clear), overdue falling",
    ),
    "capacity.map.class.late": (
        "Không kịp, quá hạn không giảm",
        "Không kịp (will not clear), overdue not falling",
    ),
    "capacity.map.class.no_data": ("Không có dữ liệu", "No data"),
    "capacity.map.tip.open": (
        "Đang xử lý: {now} hiện nay → {end} sau 10 ngày",
        "Open: {now} now → {end} in 10 days",
    ),
    "capacity.map.tip.overdue": (
        "Quá hạn: {now} hiện nay → {end} sau 10 ngày",
        "Overdue: {now} now → {end} in 10 days",
    ),
    "capacity.map.tip.missing": ("Ngày công còn thiếu: {days}", "Officer-days short: {days}"),
    "capacity.map.caption": (
        "Màu theo cột «Kết luận» của bảng dự báo bên dưới; «Không kịp» (còn hồ sơ quá hạn sau 10 "
        "ngày làm việc) tách thành quá hạn giảm dần và không giảm so với hiện nay. Xám: không có "
        "hồ sơ tiếp nhận hay giải quyết trong {window} ngày làm việc gần nhất và không có hồ sơ "
        "đang xử lý. Di chuột để xem số liệu; bấm vào một xã/phường để mở trang xã/phường.",
        "Colours follow the «Verdict» column of the projection table below; «không kịp» (overdue "
        "dossiers left after 10 working days) is split into overdue falling and not falling "
        "against now. Grey: nothing received or resolved in the last {window} working days and "
        "nothing open. Hover for the figures; click a commune to open its page.",
    ),
    "capacity.map.caption_no_drill": (
        "Màu theo cột «Kết luận» của bảng dự báo bên dưới; «Không kịp» (còn hồ sơ quá hạn sau 10 "
        "ngày làm việc) tách thành quá hạn giảm dần và không giảm so với hiện nay. Xám: không có "
        "hồ sơ tiếp nhận hay giải quyết trong {window} ngày làm việc gần nhất và không có hồ sơ "
        "đang xử lý. Di chuột để xem số liệu.",
        "Colours follow the «Verdict» column of the projection table below; «không kịp» (overdue "
        "dossiers left after 10 working days) is split into overdue falling and not falling "
        "against now. Grey: nothing received or resolved in the last {window} working days and "
        "nothing open. Hover for the figures.",
    ),
    # --- the citizen's voice (issue 18: voice.) ---
    "kpi.rated": ("Hồ sơ giải quyết được đánh giá", "Resolved dossiers rated"),
    "kpi.ratings": ("Lượt đánh giá", "Ratings"),
    "kpi.ratings_satisfied": ("Đánh giá hài lòng", "Satisfied ratings"),
    "kpi.ratings_not_satisfied": ("Đánh giá không hài lòng", "Not satisfied ratings"),
    "kpi.feedback_received": ("Phản ánh, kiến nghị tiếp nhận", "Feedback received"),
    "kpi.feedback_answered": ("Phản ánh đã trả lời", "Feedback answered"),
    "kpi.feedback_answered_on_time": ("Phản ánh trả lời đúng hạn", "Feedback answered on time"),
    "kpi.feedback_open": ("Phản ánh chưa trả lời", "Feedback open"),
    "kpi.feedback_overdue": ("Phản ánh quá hạn trả lời", "Feedback overdue"),
    "kpi.satisfied_share": ("Tỷ lệ hài lòng", "Satisfied share"),
    "kpi.rated_share": ("Tỷ lệ hồ sơ được đánh giá", "Rated share"),
    "kpi.feedback_on_time_rate": ("Tỷ lệ trả lời phản ánh đúng hạn", "Feedback answered on time"),
    "ingest.reason.no_rated_at": ("Thiếu ngày đánh giá", "No rating date"),
    "ingest.reason.unknown_rating": (
        "Mức độ hài lòng không xác định: «{value}»",
        "Unknown satisfaction level: «{value}»",
    ),
    "ingest.reason.unknown_dossier": (
        "Hồ sơ «{value}» chưa có trong kho và tệp không ghi xã/phường",
        "Dossier «{value}» is not in the store and the file names no commune",
    ),
    "ingest.reason.rating_conflict": (
        "Đánh giá «{value}» xuất hiện nhiều lần trong tệp với nội dung khác nhau",
        "Rating «{value}» appears several times in the file with different values",
    ),
    "ingest.reason.no_feedback_received": (
        "Thiếu ngày tiếp nhận phản ánh",
        "No date the feedback was received",
    ),
    "ingest.reason.unknown_feedback_channel": (
        "Kênh tiếp nhận phản ánh không xác định: «{value}»",
        "Unknown feedback channel: «{value}»",
    ),
    "ingest.reason.unknown_outcome": (
        "Tình trạng xử lý phản ánh không xác định: «{value}»",
        "Unknown feedback state: «{value}»",
    ),
    "ingest.reason.no_answer_date": (
        "Phản ánh ở tình trạng «{value}» nhưng thiếu ngày trả lời",
        "Feedback in state «{value}» but no answer date",
    ),
    "ingest.reason.feedback_conflict": (
        "Phản ánh «{value}» xuất hiện nhiều lần trong tệp với nội dung khác nhau",
        "Feedback «{value}» appears several times in the file with different values",
    ),
    "present.def.satisfied_share": (
        "Tỷ lệ hài lòng = hồ sơ được đánh giá hài lòng hoặc rất hài lòng / hồ sơ được đánh giá "
        "trong kỳ.",
        "Satisfied share = dossiers rated satisfied or very satisfied / dossiers rated in the "
        "period.",
    ),
    "present.def.rated_share": (
        "Tỷ lệ được đánh giá = hồ sơ giải quyết trong kỳ có đánh giá của người dân / hồ sơ đã giải "
        "quyết.",
        "Rated share = dossiers resolved in the period that citizens rated / dossiers resolved.",
    ),
    "present.def.feedback_on_time_rate": (
        "Trả lời phản ánh đúng hạn = phản ánh trả lời không muộn hơn hạn (không có hạn: 15 ngày "
        "làm việc) / phản ánh đã trả lời trong kỳ.",
        "Feedback answered on time = feedback answered by its due day (none given: 15 working "
        "days) / feedback answered in the period.",
    ),
    "present.def.feedback_open": (
        "Phản ánh chưa trả lời: phản ánh, kiến nghị đã tiếp nhận chưa được trả lời đến cuối kỳ.",
        "Feedback open: feedback received and not answered by the end of the period.",
    ),
    "present.def.feedback_overdue": (
        "Phản ánh quá hạn: phản ánh chưa trả lời đã quá hạn trả lời.",
        "Feedback overdue: open feedback past its due day.",
    ),
    "voice.chair": (
        "Hài lòng {share} ({ratings} đánh giá) · phản ánh chưa trả lời {open}, quá hạn {overdue}",
        "Satisfied {share} ({ratings} ratings) · feedback open {open}, overdue {overdue}",
    ),
    "voice.title": ("Tiếng nói người dân", "The citizen's voice"),
    "voice.help": (
        "Mức hài lòng của người dân với việc giải quyết hồ sơ và phản ánh, kiến nghị về thủ tục "
        "hành chính trong kỳ. Ý kiến đã được che thông tin cá nhân.",
        "Citizens' satisfaction with dossier handling, and feedback on administrative procedures "
        "in the period. Personal details in comments are masked.",
    ),
    "voice.no_data": (
        "Chưa có đánh giá hay phản ánh nào trong kỳ này.",
        "No rating or feedback in this period.",
    ),
    "voice.procedures": (
        "Thủ tục bị đánh giá không hài lòng nhiều nhất",
        "Procedures drawing the most dissatisfaction",
    ),
    "voice.procedures_none": (
        "Không có đánh giá không hài lòng nào trong kỳ.",
        "No dissatisfied rating in the period.",
    ),
    "voice.comments": ("Ý kiến kèm đánh giá không hài lòng", "Comments behind the dissatisfaction"),
    "voice.comments_none": ("Không có ý kiến nào.", "No comments."),
    "voice.comments_hidden": (
        "Ý kiến của người dân chỉ hiển thị cho lãnh đạo thành phố và chủ tịch xã/phường (của xã "
        "mình); vai trò trình chiếu chỉ xem số liệu tổng hợp.",
        "Citizens' comments are shown to city leaders and ward chairs (of their own commune) "
        "only; the presenter role sees aggregates.",
    ),
    "voice.topics": ("Chủ đề phản ánh tăng nhanh", "Feedback topics that grow"),
    "voice.topics_help": (
        "Số phản ánh theo chủ đề trong kỳ so với kỳ trước cùng độ dài; chủ đề tăng nhiều nhất "
        "đứng đầu.",
        "Feedback per topic in the period against the previous period of the same length; the "
        "fastest-growing first.",
    ),
    "voice.topics_none": ("Không có phản ánh nào trong kỳ.", "No feedback in the period."),
    "voice.lift": ("Nâng mức hài lòng nhiều nhất", "What would lift satisfaction most"),
    "voice.lift_help": (
        "Tỷ lệ hài lòng của xã/phường tăng thêm (điểm phần trăm) nếu tỷ lệ hài lòng của từng thủ "
        "tục đạt mức phân vị 90 của các xã/phường trong thành phố cho thủ tục đó. Mức hài lòng "
        "chưa được tính vào điểm phục vụ (/100) ở trên.",
        "Percentage points the commune's satisfied share would gain if a procedure's satisfied "
        "share reached the city's 90th percentile for that procedure. Satisfaction is not part "
        "of the service score (/100) above.",
    ),
    "voice.lift_none": (
        "Không thủ tục nào thấp hơn mức phân vị 90 của thành phố về mức hài lòng.",
        "No procedure is below the city's 90th percentile of satisfaction.",
    ),
    "voice.col.ratings": ("Lượt đánh giá", "Ratings"),
    "voice.col.not_satisfied": ("Không hài lòng", "Not satisfied"),
    "voice.col.not_satisfied_share": ("Tỷ lệ không hài lòng", "Not satisfied share"),
    "voice.col.satisfied_share": ("Tỷ lệ hài lòng", "Satisfied share"),
    "voice.col.share_p90": ("Phân vị 90 của TP", "City 90th percentile"),
    "voice.col.gain": ("Tỷ lệ hài lòng của xã tăng", "Commune's satisfied share gained"),
    "voice.col.rated_at": ("Ngày đánh giá", "Rated on"),
    "voice.col.criterion": ("Tiêu chí", "Criterion"),
    "voice.col.comment": ("Ý kiến (đã che thông tin cá nhân)", "Comment (personal details masked)"),
    "voice.col.topic": ("Chủ đề", "Topic"),
    "voice.col.now": ("Kỳ này", "This period"),
    "voice.col.before": ("Kỳ trước", "Previous period"),
    "voice.col.change": ("Tăng/giảm", "Change"),
    "voice.col.open": ("Chưa trả lời", "Open"),
    "voice.col.overdue": ("Quá hạn", "Overdue"),
    "voice.criterion.overall": ("Đánh giá chung", "Overall"),
    "voice.no_topic": ("(chưa phân loại)", "(no topic)"),
    # --- exports (issue 16: export.) ---
    "export.more_columns": ("đủ cột trong tệp Excel", "all columns in the Excel file"),
    "export.rows_from": (
        "dòng {first}–{last}/{total}, xem đủ trong tệp Excel",
        "rows {first}–{last} of {total}; all in the Excel file",
    ),
    "export.more_rows_columns": (
        "{shown}/{total} dòng, một phần các cột; xem đủ trong tệp Excel",
        "{shown} of {total} rows, some columns; all in the Excel file",
    ),
    "export.continued": ("{title} (tiếp)", "{title} (continued)"),
    "export.more": ("(tiếp)", "(continued)"),
    "present.land_scale": (
        "Hồ sơ đất quá hạn theo xã/phường",
        "Overdue land dossiers per commune",
    ),
    # --- time travel on the DuckLake store (issue 17: history.; ioc/history.py) ---
    "history.pick": ("Xem tại thời điểm", "View as at"),
    "history.now": ("Hiện tại", "Now"),
    "history.other": ("Ngày giờ khác…", "Another date and time…"),
    "history.help": (
        "Số liệu như tại một lần nhập dữ liệu đã qua, đọc từ bản chụp của kho (lưu {days} ngày)",
        "The figures as they stood at a past import, read from the store's snapshot (kept {days} "
        "days)",
    ),
    "history.day": ("Ngày", "Date"),
    "history.time": ("Giờ", "Time"),
    "history.none_at": (
        "Không có bản chụp dữ liệu lúc {at}: đang hiển thị số liệu hiện tại",
        "No snapshot of the data at {at}: showing the figures now",
    ),
    "history.banner": (
        "Số liệu tại thời điểm {at} (bản chụp #{n}), không phải hiện tại",
        "Figures as at {at} (snapshot #{n}), not now",
    ),
    "history.changes": (
        "Các lần nhập đã thay đổi số liệu kể từ thời điểm đó",
        "Imports that changed the figures since then",
    ),
    "history.changes_of": ("Hồ sơ của {commune}", "Dossiers of {commune}"),
    "history.changes_all": ("Hồ sơ của mọi xã/phường", "Dossiers of every commune"),
    "history.changes_none": (
        "Chưa có lần nhập nào thay đổi số liệu kể từ thời điểm đó.",
        "No import has changed the figures since then.",
    ),
    "history.col.time": ("Thời điểm nhập", "Imported at"),
    "history.col.file": ("Tệp", "File"),
    "history.col.run": ("Mã lần nhập", "Run"),
    "history.col.inserted": ("Hồ sơ mới", "Dossiers added"),
    "history.col.updated": ("Hồ sơ cập nhật", "Dossiers updated"),
}


class MissingTranslation(KeyError):
    """A key used on screen that the table lacks (raised only in strict mode)."""


def strict() -> bool:
    """IOC_STRICT_I18N=1 (the test suite sets it): a missing key raises instead of showing itself,
    so a page that shows a key fails its test."""
    return os.environ.get("IOC_STRICT_I18N", "") == "1"


def t(key: str, lang: str = "vi", **values: object) -> str:
    """Text for a key in a language, with {placeholders} filled. A missing key shows itself (a
    user sees something rather than nothing) except in strict mode, where it raises."""
    pair = TEXT.get(key)
    if pair is None:
        if strict():
            raise MissingTranslation(key)
        text = key
    else:
        text = pair[1 if lang == "en" else 0]
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


def fmt_kpi(name: str, value: float | None, lang: str = "vi") -> str:
    """A KPI of kpi.md formatted by its kind (ioc/metrics.py): rates as percentages, the score,
    points and day figures with one decimal, counts as whole numbers."""
    from ioc.metrics import kind_of

    kind = kind_of(name)
    if kind == "rate":
        return fmt_pct(value, lang)
    if kind in ("score", "days"):
        return fmt_number(value, lang, 1)
    return fmt_number(value, lang)


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
