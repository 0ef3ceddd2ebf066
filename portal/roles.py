"""The portal's roles (DESIGN.md, "People and roles") and the young people's age bands."""

from enum import StrEnum


class Role(StrEnum):
    YOUNG_PERSON = "young_person"
    YOUTH_MEMBER = "youth_member"
    CHAIR = "chair"
    CABINET_MEMBER = "cabinet_member"
    PARTNER = "partner"
    OFFICER = "officer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def is_young(self) -> bool:
        """Young people's roles carry an age band and a district."""
        return self in YOUNG_ROLES


ROLE_LABELS = {
    Role.YOUNG_PERSON: "Young person",
    Role.YOUTH_MEMBER: "Youth Cabinet member",
    Role.CHAIR: "Youth Cabinet Chair",
    Role.CABINET_MEMBER: "Cabinet Member",
    Role.PARTNER: "Partner organisation",
    Role.OFFICER: "Council officer",
}

YOUNG_ROLES = frozenset({Role.YOUNG_PERSON, Role.YOUTH_MEMBER, Role.CHAIR})

# Bands, never a date of birth (DESIGN.md: minimal data).
AGE_BANDS = {
    "11-13": "11 to 13",
    "14-16": "14 to 16",
    "17-19": "17 to 19",
    "20-25": "20 to 25",
}
