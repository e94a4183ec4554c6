"""Hostile values on the briefs' pages: filters said and ignored, unknown bodies 404, never a
server error."""

import pytest
from django.urls import reverse

from engage.core.tests.bad_input import BAD_SLUGS, BAD_VALUES, assert_refused, page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [*BAD_VALUES, *BAD_SLUGS])
def test_the_index_says_and_ignores_bad_filters(personas, client_for, value):
    response = client_for(personas.vcs_member).get(
        reverse("briefs:index"), {"region": value, "type": value, "nation": value}
    )
    assert_refused(response, "Select a region from the list")
    assert "43 policing bodies" in page_text(response)


@pytest.mark.parametrize("value", [*BAD_VALUES, *BAD_SLUGS])
def test_a_bad_slug_is_not_found(personas, client_for, value):
    client = client_for(personas.vcs_member)
    for url in (f"/briefs/{value}/", f"/briefs/{value}/pdf/"):
        assert client.get(url).status_code == 404
