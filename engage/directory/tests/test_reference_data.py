"""`load_reference_data`: loads, is idempotent, updates, keeps history, refuses bad files."""

import csv
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from engage.accounts.models import Organisation, OrganisationKind
from engage.directory.models import BodyType, Force, PolicingBody, PriorityTheme, StandingGroup
from engage.directory.reference_data import AREAS_FILE

from .factories import OrganisationFactory

NATIONAL_KINDS = ["department", "agency", "apcc", "apace"]


def load(data_dir=None, **kwargs) -> str:
    out = StringIO()
    args = ["--data-dir", str(data_dir)] if data_dir else []
    call_command("load_reference_data", *args, stdout=out, **kwargs)
    return out.getvalue()


def snapshot() -> dict:
    """Every value the loader writes, plus the number of history rows of each model."""
    group_themes = StandingGroup.themes.through.objects.order_by(
        "standinggroup__slug", "prioritytheme__slug"
    )
    return {
        "forces": list(
            Force.objects.order_by("ons_code").values_list(
                "ons_code", "name", "ons_name", "svg_path"
            )
        ),
        "bodies": list(
            PolicingBody.objects.order_by("force__ons_code").values_list(
                "force__ons_code",
                "organisation__slug",
                "organisation__name",
                "organisation__kind",
                "body_type",
                "nation",
                "region",
                "notes",
                "source",
            )
        ),
        "organisations": list(
            Organisation.objects.order_by("slug").values_list(
                "slug",
                "name",
                "short_name",
                "kind",
                "parent__slug",
                "on_criminal_justice_board",
                "description",
            )
        ),
        "themes": list(
            PriorityTheme.objects.order_by("slug").values_list("slug", "name", "description")
        ),
        "groups": list(StandingGroup.objects.order_by("slug").values_list("slug", "name")),
        "group_themes": list(
            group_themes.values_list("standinggroup__slug", "prioritytheme__slug")
        ),
        "history": [
            PolicingBody.history.count(),
            Organisation.history.count(),
            PriorityTheme.history.count(),
            StandingGroup.history.count(),
            apps.get_model("directory", "HistoricalStandingGroup_themes").objects.count(),
        ],
    }


def edit_csv(path, edit) -> None:
    """Rewrite a CSV file after `edit(fieldnames, rows)`; every record stays on one line."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fieldnames, rows = list(reader.fieldnames), list(reader)
    fieldnames = edit(fieldnames, rows) or fieldnames
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=fieldnames, extrasaction="ignore", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


def set_value(file, key_column, key, column, value):
    def edit(fieldnames, rows):
        (row,) = [row for row in rows if row[key_column] == key]
        row[column] = value

    return lambda data_dir: edit_csv(data_dir / file, edit)


# --- Loading ---------------------------------------------------------------------------------


def test_loads_forces_bodies_national_bodies_themes_and_groups(db):
    output = load()

    assert Force.objects.count() == 43
    assert PolicingBody.objects.count() == 43
    assert Organisation.objects.filter(kind=OrganisationKind.POLICING_BODY).count() == 43
    assert Organisation.objects.filter(kind__in=NATIONAL_KINDS).count() == 14
    assert PriorityTheme.objects.count() == 22
    assert StandingGroup.objects.count() == 13
    assert "Forces: 43 created, 0 updated, 0 unchanged" in output
    assert "National bodies: 14 created" in output

    slugs = set(PolicingBody.objects.values_list("organisation__slug", flat=True))
    assert {
        "gwent",
        "kent",
        "dorset",
        "surrey",
        "west-yorkshire",
        "metropolitan",
        "hampshire-and-isle-of-wight",
        "city-of-london",
        "devon-and-cornwall",
        "dyfed-powys",
    } <= slugs

    kent = PolicingBody.objects.select_related("organisation", "force").get(
        force__ons_code="E23000032"
    )
    assert kent.organisation.slug == "kent"
    assert kent.organisation.name == "Police and Crime Commissioner for Kent"
    assert kent.force.name == "Kent Police"
    assert kent.body_type == BodyType.PCC
    assert (kent.nation, kent.region) == ("England", "South East")
    assert kent.source.startswith("https://")
    hampshire = Force.objects.get(ons_code="E23000030")
    assert hampshire.ons_name == "Hampshire"  # from the GeoJSON, not the CSV
    assert PolicingBody.objects.get(organisation__slug="metropolitan").body_type == BodyType.MAYOR
    assert PolicingBody.objects.get(organisation__slug="gwent").nation == "Wales"
    assert all(Force.objects.values_list("svg_path", flat=True))

    moj = Organisation.objects.get(slug="moj")
    assert (moj.name, moj.short_name, moj.kind) == ("Ministry of Justice", "MoJ", "department")
    assert moj.on_criminal_justice_board is True
    assert "victims" in moj.description
    cps = Organisation.objects.get(slug="cps")
    assert cps.parent.slug == "ago"
    assert Organisation.objects.get(slug="laa").on_criminal_justice_board is False
    assert Organisation.objects.get(slug="apcc").kind == OrganisationKind.APCC
    assert Organisation.objects.get(slug="apace").kind == OrganisationKind.APACE
    assert Organisation.objects.get(slug="ho").name == "Home Office"

    victims = StandingGroup.objects.get(slug="victims")
    assert set(victims.themes.values_list("slug", flat=True)) == {
        "supporting-victims-and-witnesses",
        "violence-against-women-and-girls-vawg",
        "domestic-abuse",
    }
    assert StandingGroup.objects.get(slug="forensics").themes.count() == 0
    assert PriorityTheme.objects.get(slug="drugs-alcohol-and-county-lines").description
    assert PolicingBody.history.filter(history_change_reason="Reference data").count() == 43


def test_second_run_changes_nothing(db):
    load()
    before = snapshot()

    output = load()

    assert snapshot() == before
    assert "0 created, 0 updated" in output
    assert " updated, 0 unchanged" not in output
    assert "Nothing changed." in output


def test_quiet_run_prints_nothing(db):
    assert load(verbosity=0) == ""


def test_changed_row_updates_only_what_changed(reference_data, data_dir):
    load()
    before = snapshot()
    set_value("policing_bodies.csv", "ons_code", "E23000039", "notes", "A new note")(data_dir)
    set_value("national_bodies.csv", "short_name", "CPS", "parent", "MoJ")(data_dir)

    output = load(data_dir)

    after = snapshot()
    dorset = PolicingBody.objects.get(organisation__slug="dorset")
    assert dorset.notes == "A new note"
    assert Organisation.objects.get(slug="cps").parent.slug == "moj"
    assert "Policing bodies: 0 created, 1 updated, 42 unchanged" in output
    assert "National bodies: 0 created, 1 updated, 13 unchanged" in output
    # One new history row each for the body and the organisation, nothing else.
    assert after["history"][0] == before["history"][0] + 1
    assert after["history"][1] == before["history"][1] + 1
    assert after["history"][2:] == before["history"][2:]
    assert dorset.history.first().history_change_reason == "Reference data"


def test_type_change_keeps_history_and_shows_on_body_page(reference_data, data_dir, viewer_client):
    load()
    set_value("policing_bodies.csv", "ons_code", "E23000032", "body_type", "mayor")(data_dir)
    set_value(
        "policing_bodies.csv", "ons_code", "E23000032", "policing_body_name", "Mayor of Kent"
    )(data_dir)

    load(data_dir)

    kent = PolicingBody.objects.get(organisation__slug="kent")
    assert kent.body_type == BodyType.MAYOR
    assert kent.organisation.name == "Mayor of Kent"
    types = list(kent.history.order_by("history_date").values_list("body_type", flat=True))
    assert types == ["pcc", "mayor"]
    assert kent.history.first().history_change_reason == "Reference data"

    page = viewer_client.get(reverse("directory:body", args=["kent"])).content.decode()
    assert "Police and crime commissioner → Mayor" in page


def test_rows_absent_from_the_file_are_not_deleted(reference_data, data_dir):
    load()

    def drop_road_safety(fieldnames, rows):
        rows[:] = [row for row in rows if row["theme"] != "Road safety"]

    edit_csv(data_dir / "priority_themes.csv", drop_road_safety)
    output = load(data_dir)

    assert PriorityTheme.objects.filter(slug="road-safety").exists()
    assert "Priority themes: 0 created, 0 updated, 21 unchanged" in output


def test_adopts_an_organisation_made_before_its_body(db):
    made_by_hand = OrganisationFactory(
        slug="kent", name="PCC for Kent", kind=OrganisationKind.POLICING_BODY
    )

    load()

    made_by_hand.refresh_from_db()
    assert made_by_hand.policing_body.force.ons_code == "E23000032"
    assert made_by_hand.name == "Police and Crime Commissioner for Kent"


# --- Broken files ----------------------------------------------------------------------------


def remove_file(name):
    return lambda data_dir: (data_dir / name).unlink()


def drop_column(file, column):
    def edit(fieldnames, rows):
        return [name for name in fieldnames if name != column]

    return lambda data_dir: edit_csv(data_dir / file, edit)


def replace_text(file, old, new):
    def mutate(data_dir):
        path = data_dir / file
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def append_line(file, line):
    def mutate(data_dir):
        with (data_dir / file).open("a", encoding="utf-8") as handle:
            handle.write(line)

    return mutate


BROKEN = {
    # name: (mutation, expected fragments of the message)
    "missing file": (
        remove_file("national_bodies.csv"),
        ["national_bodies.csv: file not found"],
    ),
    "missing column": (
        drop_column("policing_bodies.csv", "nation"),
        ["policing_bodies.csv, line 1: missing column 'nation'"],
    ),
    "empty required value": (
        set_value("policing_bodies.csv", "ons_code", "E23000005", "body_type", ""),
        ["policing_bodies.csv, line 6: 'body_type' is empty"],
    ),
    "unknown body type": (
        set_value("policing_bodies.csv", "ons_code", "E23000003", "body_type", "sheriff"),
        ["policing_bodies.csv, line 4: unknown body_type 'sheriff'"],
    ),
    "unknown nation": (
        set_value("policing_bodies.csv", "ons_code", "W15000002", "nation", "Scotland"),
        ["policing_bodies.csv, line 42: unknown nation 'Scotland'"],
    ),
    "nation does not match the code": (
        set_value("policing_bodies.csv", "ons_code", "W15000002", "nation", "England"),
        ["policing_bodies.csv, line 42: ons_code 'W15000002' is not in England"],
    ),
    "bad ONS code": (
        replace_text("policing_bodies.csv", "E23000004,", "X123,"),
        ["policing_bodies.csv, line 5: ons_code 'X123' is not an ONS code"],
    ),
    "unknown kind": (
        set_value("national_bodies.csv", "short_name", "HO", "kind", "quango"),
        ["national_bodies.csv, line 3: unknown kind 'quango'"],
    ),
    "bad yes/no": (
        set_value("national_bodies.csv", "short_name", "HO", "on_criminal_justice_board", "maybe"),
        ["national_bodies.csv, line 3: on_criminal_justice_board is 'maybe'"],
    ),
    "duplicate ons_code": (
        replace_text("policing_bodies.csv", "E23000002,", "E23000001,"),
        ["policing_bodies.csv, line 3: duplicate ons_code 'E23000001' (first on line 2)"],
    ),
    "duplicate slug": (
        set_value(
            "policing_bodies.csv", "ons_code", "E23000034", "force_name", "Kent Constabulary"
        ),
        [
            "policing_bodies.csv, line 35: duplicate slug (from force_name) 'kent' "
            "(first on line 33)"
        ],
    ),
    "duplicate national slug": (
        set_value("national_bodies.csv", "short_name", "VC", "short_name", "Moj"),
        ["national_bodies.csv, line 13: duplicate slug (from short_name) 'moj' (first on line 2)"],
    ),
    "national slug clashes with a body slug": (
        set_value("national_bodies.csv", "short_name", "VC", "short_name", "Kent"),
        [
            "national_bodies.csv, line 13: slug 'kent' is also the slug of "
            "policing_bodies.csv line 33"
        ],
    ),
    "unknown parent": (
        set_value("national_bodies.csv", "short_name", "CPS", "parent", "XYZ"),
        ["national_bodies.csv, line 5: parent 'XYZ' is not a short_name in this file"],
    ),
    "portfolio theme not in the themes file": (
        set_value("apcc_portfolios.csv", "name", "Fire", "themes", "Fire safety"),
        ["apcc_portfolios.csv, line 13: theme 'Fire safety' is not in priority_themes.csv"],
    ),
    "empty theme": (
        set_value("priority_themes.csv", "theme", "Road safety", "theme", ""),
        ["priority_themes.csv, line 14: 'theme' is empty"],
    ),
    "duplicate theme": (
        set_value("priority_themes.csv", "theme", "Road safety", "theme", "Domestic Abuse"),
        [
            "priority_themes.csv, line 14: duplicate slug (from theme) 'domestic-abuse' "
            "(first on line 4)"
        ],
    ),
    "too many values": (
        append_line("apcc_portfolios.csv", "Extra,Road safety,surplus\n"),
        ["apcc_portfolios.csv, line 15: has 3 values but the header has 2 columns"],
    ),
    "unterminated quote": (
        append_line("apcc_portfolios.csv", 'Extra,"Road safety\n'),
        ["apcc_portfolios.csv, line 15: not valid CSV"],
    ),
    "GeoJSON code not in the CSV": (
        replace_text(AREAS_FILE, '"PFA23CD": "E23000039"', '"PFA23CD": "E23009999"'),
        [
            "policing_bodies.csv, line 40: ons_code 'E23000039' has no boundary in "
            "police_force_areas_dec2023_ew_buc.geojson",
            "police_force_areas_dec2023_ew_buc.geojson, line 44: PFA23CD 'E23009999' is not an "
            "ons_code in policing_bodies.csv",
        ],
    ),
    "invalid JSON": (
        replace_text(AREAS_FILE, '"name": "PFA_DEC_2023_EW_BUC",', '"name": PFA_DEC_2023_EW_BUC,'),
        ["police_force_areas_dec2023_ew_buc.geojson, line 3: not valid JSON"],
    ),
    "feature without geometry": (
        replace_text(AREAS_FILE, '"type": "MultiPolygon"', '"type": "Point"'),
        [
            "police_force_areas_dec2023_ew_buc.geojson, line 6: feature 1 (E23000001) has no "
            "valid Polygon or MultiPolygon"
        ],
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_is_refused_and_nothing_changes(reference_data, data_dir, case):
    mutate, expected = BROKEN[case]
    load()
    before = snapshot()
    mutate(data_dir)

    with pytest.raises(CommandError) as excinfo:
        load(data_dir)

    message = str(excinfo.value)
    assert "nothing was changed" in message
    for fragment in expected:
        assert fragment in message
    assert snapshot() == before


@pytest.mark.parametrize("case", ["unknown body type", "GeoJSON code not in the CSV"])
def test_broken_file_writes_nothing_on_an_empty_database(db, data_dir, case):
    mutate, _ = BROKEN[case]
    mutate(data_dir)

    with pytest.raises(CommandError):
        load(data_dir)

    assert not Force.objects.exists()
    assert not Organisation.objects.exists()
    assert not PriorityTheme.objects.exists()
    assert not StandingGroup.objects.exists()


def test_slug_taken_by_another_organisation_is_refused(db):
    OrganisationFactory(slug="kent", name="Kent Voluntary Action", kind=OrganisationKind.VOLUNTARY)

    with pytest.raises(CommandError) as excinfo:
        load()

    assert (
        "policing_bodies.csv, line 33: slug 'kent' is already used by Voluntary organisation "
        "'Kent Voluntary Action'"
    ) in str(excinfo.value)
    assert not Force.objects.exists()
    assert Organisation.objects.count() == 1


def test_geojson_line_numbers_follow_the_file(data_dir):
    """The GeoJSON has one feature per line; the line named is the feature's."""
    lines = (data_dir / AREAS_FILE).read_text(encoding="utf-8").splitlines()
    feature = json.loads(lines[43].rstrip(","))
    assert feature["properties"]["PFA23CD"] == "E23000039"  # line 44, as asserted above
