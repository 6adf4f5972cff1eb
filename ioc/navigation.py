"""The page registry: which screens exist, their titles, URLs and the roles that may open them.

app.py builds st.navigation from this list for the signed-in role, so a page a role may not see is
not in its navigation at all. Add a page here when you add a file under pages/.
"""

from __future__ import annotations

from dataclasses import dataclass

from ioc.scope import ADMIN, CITY_LEADER, PRESENTER, ROLES, WARD_CHAIR

EVERYONE = ROLES
VIEWERS = (CITY_LEADER, WARD_CHAIR, ADMIN)


@dataclass(frozen=True)
class PageSpec:
    path: str  # relative to the project root
    title_key: str  # i18n key
    icon: str
    url_path: str
    group_key: str  # i18n key of the navigation section
    roles: tuple[str, ...] = EVERYONE
    default: bool = False


PAGES: list[PageSpec] = [
    PageSpec(
        "pages/overview.py",
        "nav.overview",
        ":material/dashboard:",
        "tong-quan",
        "nav.group.monitor",
        EVERYONE,
        default=True,
    ),
]


def pages_for(role: str) -> list[PageSpec]:
    """The pages a role may open, in registry order."""
    return [p for p in PAGES if role in p.roles]


__all__ = ["ADMIN", "CITY_LEADER", "PRESENTER", "WARD_CHAIR", "PAGES", "PageSpec", "pages_for"]
