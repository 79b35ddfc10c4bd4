"""The living demo: the seed's 2020 school carried on to today, and two more schools.

``build_living_demo`` is what ``tuanxue demo`` runs: ``org.demo.build_demo`` builds the seed's
2020 school exactly as before, then ``history.build_history`` carries it year by year up to the
current date (``timezone.localdate()``), and ``schools.build_schools`` adds a school that passes the
self-assessment narrowly and one whose data has drifted into breaches.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuanxue.demo.org import DemoResult, build_demo


@dataclass
class LivingDemo:
    seed: DemoResult
    history: dict
    schools: list

    def summary(self) -> list[str]:
        from django.utils import timezone

        from tuanxue.org.selectors import school_union, union_structure

        h = self.history
        day = timezone.localdate()
        s = union_structure(school_union(self.seed.school), day)
        lines = [
            f"{day:%Y-%m-%d} 校学生会 School union today: 工作人员 staff {s.staff_total} / "
            f"主席团 presidium {s.presidium_size} / 工作部门 departments {s.department_count} / "
            f"来自学院学生会 from college unions {s.from_college_unions} = "
            f"{s.from_college_unions_ratio:.2%}",
            f"2021年起 Since 2021: 学生代表大会 congresses {h.get('congresses', 0)}, "
            f"新生 new students {h.get('students', 0)}, 述职评议 duty reviews {h.get('reviews', 0)}",
        ]
        for school in self.schools:
            lines.append(
                f"演示学校 Demo school: {school.name} ({school.code}) "
                f"校团委 League committee login: {school.login} / {school.password}"
            )
        return lines


def build_living_demo() -> LivingDemo:
    from tuanxue.demo.living.history import build_history
    from tuanxue.demo.living.schools import build_schools

    seed = build_demo()
    history = build_history(seed.school)
    schools = build_schools()
    return LivingDemo(seed=seed, history=history, schools=schools)


def remove_living_demo() -> None:
    """Remove every school the demo builds (and their own accounts)."""
    from tuanxue.demo.living.schools import SPECS
    from tuanxue.demo.org import remove_demo_school

    for code in ["gdgm", *(spec.code for spec in SPECS)]:
        remove_demo_school(code)
