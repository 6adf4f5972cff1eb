"""Who is looking: a role and, for a ward chair, the commune the role is bound to.

Every function that returns dossier-level rows takes a Scope and filters by it in the query, so a
hidden widget is never the only control (issue 6).
"""

from __future__ import annotations

from dataclasses import dataclass

CITY_LEADER = "city_leader"
WARD_CHAIR = "ward_chair"
PRESENTER = "presenter"
ADMIN = "admin"
ROLES = (CITY_LEADER, WARD_CHAIR, PRESENTER, ADMIN)


class ScopeError(PermissionError):
    """The user's role is not entitled to what was asked."""


@dataclass(frozen=True)
class Scope:
    role: str
    commune_code: str | None = None  # set for a ward chair
    username: str = ""

    def dossier_commune(self, requested: str | None) -> str | None:
        """Commune filter for a dossier-level query; raises when the role may not see any rows.

        A city leader gets what was requested (None = all); a ward chair always gets the own
        commune, whatever was requested; a presenter or an admin (whose work is imports, targets
        and accounts, not citizens' files) never gets dossier rows, nor does an unknown role.
        """
        if self.role not in (CITY_LEADER, WARD_CHAIR):
            raise ScopeError(f"{self.role}: no dossier-level rows")
        if self.role == WARD_CHAIR:
            if not self.commune_code or requested not in (None, self.commune_code):
                raise ScopeError("ward chair: another commune's dossiers")
            return self.commune_code
        return requested

    def may_see_dossiers_of(self, commune: str | None) -> bool:
        try:
            self.dossier_commune(commune)
        except ScopeError:
            return False
        return True


CITY = Scope(CITY_LEADER)
