"""Fixtures the activities tests share."""

from __future__ import annotations

import pytest

from tests.builders.activities import build_world


@pytest.fixture
def w(kit):
    return build_world(kit)
