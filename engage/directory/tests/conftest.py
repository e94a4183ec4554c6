import shutil

import pytest

from engage.accounts.models import User
from engage.directory.reference_data import DATA_DIR


@pytest.fixture
def viewer(db):
    """A signed-in person with no protocol membership (so no MFA step)."""
    return User.objects.create_user(email="viewer@example.org", password="pw-long-enough-123")


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def data_dir(tmp_path):
    """A writable copy of the shipped reference data, to break in tests."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture
def loaded(reference_data):
    """The shipped reference data, loaded (and no personas)."""
