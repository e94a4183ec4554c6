"""The status map other pages shade by their own statuses (engage/directory/maps.py)."""

import pytest

from engage.directory.maps import MapKey, status_map
from engage.directory.models import PolicingBody

pytestmark = pytest.mark.django_db

KEYS = [MapKey("done", "Done", "done"), MapKey("due", "Not due yet", "due")]


def test_every_area_takes_its_bodys_status_or_the_default(reference_data):
    kent = PolicingBody.objects.get(organisation__slug="kent")

    shown = status_map({kent.pk: "done"}, KEYS, default="due", link=lambda body: f"/{body.pk}")

    assert len(shown.areas) == 43
    by_body = {area.body.pk: area for area in shown.areas if area.body}
    assert by_body[kent.pk].key.value == "done"
    assert by_body[kent.pk].key.pattern == "green"  # "done" is an alias of a tone
    assert by_body[kent.pk].url == f"/{kent.pk}"
    assert {area.key.value for area in shown.areas if area.body.pk != kent.pk} == {"due"}
    assert shown.legend == [(KEYS[0], 1), (KEYS[1], 42)]


def test_one_query_whatever_the_number_of_statuses(reference_data, django_assert_num_queries):
    bodies = list(PolicingBody.objects.values_list("pk", flat=True))
    with django_assert_num_queries(1):
        status_map({bodies[0]: "done"}, KEYS, default="due")
    with django_assert_num_queries(1):
        status_map(dict.fromkeys(bodies, "done"), KEYS, default="due")


def test_a_status_without_a_key_is_a_programming_error(reference_data):
    kent = PolicingBody.objects.get(organisation__slug="kent")
    with pytest.raises(ValueError, match="needs a key"):
        status_map({kent.pk: "late"}, KEYS, default="due")
    with pytest.raises(ValueError, match="needs a key"):
        status_map({}, KEYS, default="late")
    with pytest.raises(ValueError, match="Unknown map tone"):
        MapKey("x", "X", "pink").pattern  # noqa: B018 (the property raises)
