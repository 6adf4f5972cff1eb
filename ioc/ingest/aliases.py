"""Header aliases and value labels of the exports, compared after `fold` (no diacritics, no case,
no punctuation or spaces), so "Mã hồ sơ", "MA HO SO" and "MaHoSo" are the same header.
"""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: object) -> str:
    """Lower-case ASCII letters and digits only: diacritics, đ, spaces and punctuation removed."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub("", stripped.lower().replace("đ", "d"))


# Store column (or an input-only field) -> header wordings met in exports and the portal JSON.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "dossier_id": (
        "Mã hồ sơ",
        "Số hồ sơ",
        "Số biên nhận",
        "Mã số hồ sơ",
        "Mã HS",
        "Mã biên nhận",
        "Mã hồ sơ TTHC",
        "Số hồ sơ TTHC",
        "MaHoSo",
        "dossier_id",
    ),
    "procedure_code": (
        "Mã TTHC",
        "Mã thủ tục",
        "Mã thủ tục hành chính",
        "Mã thủ tục HC",
        "MaTTHC",
        "procedure_code",
    ),
    "procedure_name": (
        "Tên TTHC",
        "Tên thủ tục",
        "Tên thủ tục hành chính",
        "Thủ tục",
        "Thủ tục hành chính",
        "TenTTHC",
        "procedure_name",
    ),
    "commune_code": (
        "Mã xã",
        "Mã xã/phường",
        "Mã xã phường",
        "Mã ĐVHC",
        "Mã đơn vị hành chính",
        "MaXa",
        "commune_code",
    ),
    "commune_name": (
        "Xã/Phường",
        "Xã phường",
        "Tên xã",
        "Tên xã/phường",
        "Đơn vị tiếp nhận",
        "Đơn vị xử lý",
        "Nơi nộp hồ sơ",
        "Nơi tiếp nhận",
        "Xã, phường",
        "Phường/Xã",
        "Tên xã, phường",
        "Cơ quan tiếp nhận",
        "DonViXuLy",
        "NoiNopHoSo",
        "commune_name",
        "commune",
    ),
    "channel": (
        "Kênh thực hiện",
        "Kênh nộp",
        "Kênh tiếp nhận",
        "Hình thức nộp",
        "Hình thức tiếp nhận",
        "Hình thức",
        "Hình thức nộp hồ sơ",
        "Kênh nộp hồ sơ",
        "Nguồn hồ sơ",
        "Phương thức nộp",
        "KenhThucHien",
        "channel",
    ),
    "service_level": (
        "Mức độ",
        "Mức độ DVC",
        "Mức độ dịch vụ công",
        "Mức độ DVCTT",
        "MucDo",
        "service_level",
    ),
    "submitted_at": ("Ngày nộp", "Ngày nộp hồ sơ", "Thời gian nộp", "NgayNopHoSo", "submitted_at"),
    "received_at": (
        "Ngày tiếp nhận",
        "Ngày nhận",
        "Thời gian tiếp nhận",
        "Ngày nhận hồ sơ",
        "Ngày giờ tiếp nhận",
        "Thời điểm tiếp nhận",
        "NgayTiepNhan",
        "received_at",
    ),
    "due_at": (
        "Ngày hẹn trả",
        "Ngày hẹn trả kết quả",
        "Hạn xử lý",
        "Hạn trả",
        "Hạn giải quyết",
        "Ngày hẹn",
        "Hẹn trả",
        "Hạn trả kết quả",
        "Ngày hẹn trả KQ",
        "Thời hạn giải quyết",
        "NgayHenTra",
        "due_at",
    ),
    "finished_at": (
        "Ngày kết thúc xử lý",
        "Ngày xử lý xong",
        "Ngày hoàn thành",
        "Ngày có kết quả",
        "Ngày kết thúc",
        "Ngày giải quyết xong",
        "Thời điểm kết thúc",
        "NgayKetThucXuLy",
        "finished_at",
    ),
    "returned_at": (
        "Ngày trả kết quả",
        "Ngày trả",
        "Ngày trả KQ",
        "Ngày trả kết quả thực tế",
        "NgayTra",
        "returned_at",
    ),
    "rejected_at": ("Ngày từ chối", "NgayTuChoi", "rejected_at"),
    "status": (
        "Trạng thái",
        "Trạng thái hồ sơ",
        "Trạng thái xử lý",
        "Tình trạng",
        "Tình trạng hồ sơ",
        "Tình trạng xử lý",
        "TrangThaiHoSo",
        "status",
    ),
    "paid_online": (
        "Thanh toán trực tuyến",
        "Đã thanh toán trực tuyến",
        "DuocThanhToanTrucTuyen",
        "paid_online",
    ),
    "has_fee": ("Có phí", "Có phí lệ phí", "Có thu phí", "has_fee"),
    "digitized": (
        "Số hóa",
        "Đã số hóa",
        "Có thành phần số hóa",
        "HoSoCoThanhPhanSoHoa",
        "digitized",
    ),
    "vneid_verified": (
        "Xác thực VNeID",
        "Tài khoản xác thực VNeID",
        "TaiKhoanDuocXacThucVoiVNeID",
        "vneid_verified",
    ),
    # issue 18, the national index (docs/index-766.md): the portal's sync fields and the one-stop
    # systems' wordings of an electronic result and of the synchronisation
    "e_result_issued": (
        "Có kết quả điện tử",
        "Đã cấp kết quả điện tử",
        "Kết quả điện tử",
        "Trả kết quả điện tử",
        "CoKetQuaDienTu",
        "e_result_issued",
    ),
    "synced_to_portal": (
        "Đồng bộ DVCQG",
        "Đã đồng bộ",
        "Đã đồng bộ Cổng DVCQG",
        "Đồng bộ Cổng Dịch vụ công quốc gia",
        "DaDongBoDVCQG",
        "synced_to_portal",
    ),
    "applicant_name": (
        "Chủ hồ sơ",
        "Người nộp",
        "Người nộp hồ sơ",
        "Họ tên người nộp",
        "Họ tên",
        "Họ và tên",
        "Tên người nộp",
        "Tên công dân",
        "Người đứng tên",
        "ChuHoSo",
        "applicant_masked",
    ),
    "applicant_id": (
        "Số giấy tờ",
        "Số giấy tờ tùy thân",
        "Số CCCD",
        "Số CMND",
        "CCCD",
        "CMND",
        "CCCD/CMND",
        "Số định danh",
        "Số định danh cá nhân",
        "SoGiayToChuHoSo",
    ),
    "applicant_phone": ("Số điện thoại", "Điện thoại", "SĐT", "Di động", "SoDienThoai"),
    "applicant_other": ("Email", "Thư điện tử", "Địa chỉ", "Địa chỉ người nộp", "DiaChi"),
    "map_sheet": ("Số tờ", "Tờ bản đồ", "Số tờ bản đồ", "SoTo", "map_sheet"),
    "parcel_no": ("Số thửa", "Thửa đất", "Thửa đất số", "Thửa số", "SoThua", "parcel_no"),
}

HEADER_OF: dict[str, str] = {fold(a): col for col, names in COLUMN_ALIASES.items() for a in names}

# Columns holding personal data: masked or hashed at the door, never stored raw anywhere.
PII_COLUMNS = ("applicant_name", "applicant_id", "applicant_phone", "applicant_other")
DATE_COLUMNS = (
    "submitted_at",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "rejected_at",
)
FLAG_COLUMNS = (
    "has_fee",
    "digitized",
    "vneid_verified",
    "e_result_issued",
    "synced_to_portal",
)

CHANNELS: dict[str, str] = {
    "1": "direct",
    "tructiep": "direct",
    "noptructiep": "direct",
    "direct": "direct",
    "2": "online",
    "tructuyen": "online",
    "noptructuyen": "online",
    "dvctt": "online",
    "dichvucongtructuyen": "online",
    "online": "online",
    "3": "postal",
    "quadichvubuuchinhcongich": "postal",
    "dichvubuuchinhcongich": "postal",
    "buuchinhcongich": "postal",
    "buuchinh": "postal",
    "bcci": "postal",
    "postal": "postal",
}

STATUS_CODES = (
    "registered",
    "accepted",
    "rejected",
    "processing",
    "supplement_requested",
    "payment_requested",
    "withdrawn",
    "stopped",
    "finished",
    "returned",
)
_STATUS_LABELS: dict[str, tuple[str, ...]] = {
    "registered": ("Mới đăng ký", "Đăng ký mới", "Chờ tiếp nhận"),
    "accepted": ("Được tiếp nhận", "Đã tiếp nhận", "Tiếp nhận"),
    "rejected": ("Không được tiếp nhận", "Từ chối tiếp nhận", "Từ chối"),
    "processing": ("Đang xử lý", "Đang giải quyết", "Đang thụ lý"),
    "supplement_requested": ("Yêu cầu bổ sung", "Yêu cầu bổ sung hồ sơ", "Chờ bổ sung"),
    "payment_requested": (
        "Yêu cầu thực hiện nghĩa vụ tài chính",
        "Chờ thực hiện nghĩa vụ tài chính",
        "Chờ nộp phí",
    ),
    "withdrawn": ("Công dân rút hồ sơ", "Rút hồ sơ", "Đã rút hồ sơ"),
    "stopped": ("Dừng xử lý", "Tạm dừng xử lý"),
    "finished": ("Đã xử lý xong", "Đã giải quyết", "Hoàn thành", "Đã có kết quả"),
    "returned": ("Đã trả kết quả", "Đã trả", "Trả kết quả"),
}
STATUSES: dict[str, str] = {
    **{str(i): s for i, s in enumerate(STATUS_CODES, start=1)},
    **{fold(s): s for s in STATUS_CODES},
    **{fold(label): s for s, labels in _STATUS_LABELS.items() for label in labels},
}

LEVELS: dict[str, str] = {
    "2": "info",
    "mucdo2": "info",
    "muc2": "info",
    "cungcapthongtin": "info",
    "thongtin": "info",
    "info": "info",
    "3": "partial",
    "mucdo3": "partial",
    "muc3": "partial",
    "motphan": "partial",
    "dvctructuyenmotphan": "partial",
    "partial": "partial",
    "4": "full",
    "mucdo4": "full",
    "muc4": "full",
    "toantrinh": "full",
    "dvctructuyentoantrinh": "full",
    "full": "full",
}

TRUE_WORDS = frozenset({"1", "true", "co", "x", "yes", "y", "da", "t"})
FALSE_WORDS = frozenset({"0", "false", "khong", "no", "n", "chua", "f"})
# DuocThanhToanTrucTuyen: 1 or 2 = paid online (two payment routes), 0 = not.
PAID_WORDS = {"1": True, "2": True, "0": False, **{w: True for w in TRUE_WORDS - {"1"}}}
PAID_WORDS.update({w: False for w in FALSE_WORDS})

# Commune-type prefixes a name may carry or omit.
COMMUNE_PREFIXES = ("phuong", "xa", "dackhu", "thitran")

# Labels written by export.py, as a one-stop system's export shows them.
CHANNEL_LABELS = {
    "direct": "Trực tiếp",
    "online": "Trực tuyến",
    "postal": "Qua dịch vụ bưu chính công ích",
}
STATUS_LABELS = {status: labels[0] for status, labels in _STATUS_LABELS.items()}
LEVEL_LABELS = {"full": "Toàn trình", "partial": "Một phần", "info": "Cung cấp thông tin"}
