"""Builders the selection tests share: one place, so no test module imports another."""

from tuanxue.org.models import Role

# The presidium chain's offices, in order.
PRESIDIUM_ORDER = [
    Role.COLLEGE_LEAGUE,
    Role.COLLEGE_PARTY,
    Role.STUDENT_AFFAIRS,
    Role.SCHOOL_LEAGUE,
    Role.SCHOOL_PARTY,
    Role.FEDERATION,
]
