"""The living demo: the seed's 2020 school carried on to today, and two more schools.

``build_living_demo`` is what ``tuanxue demo`` runs: ``org.demo.build_demo`` builds the seed's
2020 school exactly as before, then ``history.build_history`` carries it year by year up to the
current date (``timezone.localdate()``), and ``schools.build_schools`` adds a school that passes the
self-assessment narrowly and one whose data has drifted into breaches.
"""

from __future__ import annotations

from dataclasses import dataclass

from tuanxue.org.demo import DemoResult, build_demo


@dataclass
class LivingDemo:
    seed: DemoResult
    history: dict
    schools: list

    def summary(self) -> list[str]:
        h = self.history
        lines = [
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
    from tuanxue.demo.history import build_history
    from tuanxue.demo.schools import build_schools

    seed = build_demo()
    history = build_history(seed.school)
    schools = build_schools()
    return LivingDemo(seed=seed, history=history, schools=schools)
