"""The page registry: which screens exist, their titles, URLs and the roles that may open them.

app.py builds st.navigation from this list for the signed-in role, so a page a role may not see is
not in its navigation at all. Add a page here when you add a file under pages/.
"""

from __future__ import annotations

from dataclasses import dataclass

from ioc.scope import ADMIN, CITY_LEADER, PRESENTER, ROLES, WARD_CHAIR

EVERYONE = ROLES
# Who sees what (issue 6): city leaders everything; ward chairs their commune plus the city's
# aggregates; presenters aggregate pages only (dossier sections stay empty for them: the data layer
# raises ScopeError); admins imports, targets, accounts, the audit log and data quality.
VIEWERS = (CITY_LEADER, WARD_CHAIR, ADMIN)
AGGREGATE_VIEWERS = (CITY_LEADER, WARD_CHAIR, PRESENTER)


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title_key: str  # i18n key
    icon: str
    url_path: str
    group_key: str  # i18n key of the navigation section
    roles: tuple[str, ...] = EVERYONE
    default_for: tuple[str, ...] = ()  # the roles that land on this page after sign-in


PAGES: list[PageSpec] = [
    PageSpec(
        "pages/overview.py",
        "nav.overview",
        ":material/dashboard:",
        "tong-quan",
        "nav.group.monitor",
        EVERYONE,
        default_for=(CITY_LEADER, PRESENTER, ADMIN),
    ),
    PageSpec(
        "pages/league.py",
        "nav.league",
        ":material/leaderboard:",
        "xep-hang",
        "nav.group.monitor",
        EVERYONE,
    ),
    PageSpec(
        "pages/drilldown.py",
        "nav.commune",
        ":material/location_city:",
        "xa-phuong",
        "nav.group.monitor",
        AGGREGATE_VIEWERS,
        # a ward chair's morning starts on the own commune (issue 23)
        default_for=(WARD_CHAIR,),
    ),
    PageSpec(
        "pages/kpi_map.py",
        "nav.kpi_map",
        ":material/layers:",
        "ban-do-chi-so",
        "nav.group.monitor",
        EVERYONE,
    ),
    PageSpec(
        "pages/live.py",
        "nav.live",
        ":material/timer:",
        "thoi-gian-thuc",
        "nav.group.monitor",
        AGGREGATE_VIEWERS,
    ),
    PageSpec(
        "pages/quality.py",
        "nav.quality",
        ":material/fact_check:",
        "chat-luong-du-lieu",
        "nav.group.monitor",
        VIEWERS,
    ),
    PageSpec(
        "pages/land.py",
        "nav.land",
        ":material/map:",
        "ban-do-dat-dai",
        "nav.group.monitor",
        (CITY_LEADER, WARD_CHAIR, ADMIN, PRESENTER),
    ),
    PageSpec(
        "pages/capacity.py",
        "nav.capacity",
        ":material/groups:",
        "nang-luc-xu-ly",
        "nav.group.monitor",
        # officers by name only to leaders (ward chairs: the commune page's section); a presenter
        # sees the communes' aggregates (issue 19)
        (CITY_LEADER, PRESENTER),
    ),
    PageSpec(
        "pages/ingest.py",
        "nav.ingest",
        ":material/upload_file:",
        "nhap-du-lieu",
        "nav.group.admin",
        (ADMIN,),
    ),
    PageSpec(
        "pages/mappings.py",
        "nav.mapping",
        ":material/rule:",
        "anh-xa-du-lieu",
        "nav.group.admin",
        (ADMIN,),
    ),
    PageSpec(
        "pages/presentation.py",
        "nav.present",
        ":material/slideshow:",
        "trinh-chieu",
        "nav.group.monitor",
        EVERYONE,
    ),
    PageSpec(
        "pages/backup.py",
        "nav.backup",
        ":material/backup:",
        "sao-luu",
        "nav.group.admin",
        (ADMIN,),
    ),
    PageSpec(
        "pages/targets.py",
        "nav.targets",
        ":material/flag:",
        "chi-tieu",
        "nav.group.admin",
        (ADMIN,),
    ),
    PageSpec(
        "pages/wall_screens.py",
        "wall.nav",
        ":material/tv:",
        "man-hinh-tuong",
        "nav.group.admin",
        (ADMIN,),
    ),
    PageSpec(
        "pages/audit.py",
        "nav.audit",
        ":material/history:",
        "nhat-ky",
        "nav.group.admin",
        (ADMIN,),
    ),
]


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in registry order."""
    return [p for p in PAGES if role in p.roles]


def wall_page() -> PageSpec:
    """The only page a wall screen (ioc/sessions.py) may open: the presentation."""
    return next(p for p in PAGES if p.path == "pages/presentation.py")


def default_page(role: str) -> PageSpec:
    """The page a role lands on after sign-in (its first page when none is marked)."""
    pages = pages_for(role)
    return next((p for p in pages if role in p.default_for), pages[0])


def may_open(role: str, path: str) -> bool:
    """Whether a role's navigation holds the page at path (a link to it would work)."""
    return any(p.path == path for p in pages_for(role))


__all__ = [
    "ADMIN",
    "CITY_LEADER",
    "PRESENTER",
    "WARD_CHAIR",
    "PAGES",
    "PageSpec",
    "default_page",
    "may_open",
    "pages_for",
    "wall_page",
]
