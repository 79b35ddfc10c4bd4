import pytest

from tests.transcript import world


@pytest.fixture
def books(kit):
    return world.build(kit)
