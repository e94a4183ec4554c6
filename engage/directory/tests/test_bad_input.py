"""Hostile values in the directory's filters are ignored, never a server error."""

import pytest
from django.urls import reverse

from engage.core.tests.bad_input import BAD_VALUES, page_text


@pytest.mark.parametrize("value", BAD_VALUES)
def test_the_bodies_list_ignores_bad_filters(personas, client_for, value):
    response = client_for(personas.gwent_staff).get(
        reverse("directory:bodies"),
        {"nation": value, "region": value, "type": value, "page": value},
    )
    assert response.status_code == 200
    assert "Gwent" in page_text(response)  # an invalid filter is not applied
