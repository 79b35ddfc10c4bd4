"""Panels that apps above ``org`` add to the school home page.

``org`` cannot import them (the arrows point the other way), so each app registers a function
``(request, school) -> dict | None`` when it starts; a dict names its ``template`` and carries
what the template needs.
"""

from __future__ import annotations

from collections.abc import Callable

_panels: list[Callable] = []


def register(panel: Callable) -> None:
    if panel not in _panels:
        _panels.append(panel)


def collect(request, school) -> list[dict]:
    return [p for p in (panel(request, school) for panel in _panels) if p is not None]
