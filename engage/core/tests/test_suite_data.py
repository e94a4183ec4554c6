"""The suite's shared data (engage/conftest.py): loaded once per test database, each test sees
exactly what it asks for, and what a test writes is gone for the next."""

from engage.accounts.models import Membership, Organisation, User
from engage.conftest import EVERYONE
from engage.directory.models import Force, StandingGroupMembership


def test_a_test_that_asks_for_nothing_starts_from_empty_tables(db):
    assert not Force.objects.exists()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_the_reference_data_alone_comes_without_the_personas(reference_data):
    assert Force.objects.count() == 43
    assert Organisation.objects.filter(slug="moj").exists()
    assert not User.objects.exists()
    assert not Membership.objects.exists()
    assert not StandingGroupMembership.objects.exists()
    assert not Organisation.objects.filter(
        slug__in=["leeds-womens-centre", "outsider-partner"]
    ).exists()


def test_the_personas_come_with_the_reference_data(personas):
    assert Force.objects.count() == 43
    assert sorted(vars(personas)) == sorted(EVERYONE)
    assert User.objects.count() == len(EVERYONE)
    assert personas.gwent_commissioner.email == "commissioner@gwent.example.org"


def test_what_a_test_writes_is_rolled_back_for_the_next(personas):
    """Run with the others in any order: none of them sees this test's changes."""
    Force.objects.filter(ons_code="E23000032").update(name="Changed by a test")
    User.objects.create_user(email="someone-new@example.org")
    assert Force.objects.filter(name="Changed by a test").exists()


def test_no_test_sees_another_tests_changes(personas):
    assert not Force.objects.filter(name="Changed by a test").exists()
    assert not User.objects.filter(email="someone-new@example.org").exists()
