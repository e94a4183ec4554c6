"""Reading and checking the reference data files in `engage/directory/data/`.

Nothing here touches the database: `read_reference_data` parses every file, checks it and
either returns plain rows or raises `ReferenceDataInvalid` listing every problem found, each
naming the file, the line (as a text editor counts it, the CSV header being line 1) and what is
wrong. `services.reference_data_load` writes the rows. The force areas are projected into SVG
path data here (with `geo.Projection`), once, so the map page only reads stored strings.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

from django.utils.text import slugify

from engage.accounts.models import Organisation, OrganisationKind

from .geo import Projection, polygons_of
from .models import BodyType, Force, Nation, PolicingBody, PriorityTheme, StandingGroup
from .reference_rows import (
    Area,
    BodyRow,
    NationalRow,
    PortfolioRow,
    Problem,
    ReferenceData,
    ReferenceDataInvalid,
    ThemeRow,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

POLICING_BODIES_FILE = "policing_bodies.csv"
NATIONAL_BODIES_FILE = "national_bodies.csv"
THEMES_FILE = "priority_themes.csv"
PORTFOLIOS_FILE = "apcc_portfolios.csv"
AREAS_FILE = "police_force_areas_dec2023_ew_buc.geojson"

# The organisation kinds national_bodies.csv may use.
NATIONAL_FILE_KINDS = {
    "department": OrganisationKind.NATIONAL_DEPARTMENT,
    "agency": OrganisationKind.NATIONAL_AGENCY,
    "apcc": OrganisationKind.APCC,
    "apace": OrganisationKind.APACE,
}
YES_NO = {"yes": True, "no": False}

# Suffixes dropped from a force name to make its policing body's slug ("Kent Police" -> "kent").
FORCE_NAME_SUFFIXES = (" Police Service", " Constabulary", " Police")
ONS_CODE_RE = re.compile(r"^(?P<country>[EW])\d{8}$")
ONS_COUNTRY_NATION = {"E": Nation.ENGLAND, "W": Nation.WALES}


def body_slug(force_name: str) -> str:
    """The policing body's slug: its force's name without "Police", "Constabulary"..."""
    name = force_name.strip()
    for suffix in FORCE_NAME_SUFFIXES:
        if name.endswith(suffix):
            name = name.removesuffix(suffix)
            break
    return slugify(name)


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str, line: int | None, message: str) -> None:
        self.items.append(Problem(file, line, message))


# --- CSV -------------------------------------------------------------------------------------


def _read_text(path: Path, problems: _Problems) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.add(path.name, None, "file not found")
    except UnicodeDecodeError as exc:
        problems.add(path.name, None, f"not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        problems.add(path.name, None, f"cannot be read ({exc.strerror})")
    return None


def _read_csv(
    path: Path, columns: dict[str, bool], problems: _Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, values) for each record; `columns` maps each column to "is required"."""
    text = _read_text(path, problems)
    if text is None:
        return
    name = path.name
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            problems.add(name, 1, "the file is empty (no header line)")
            return
        header = [column.strip() for column in header]
        missing = [column for column in columns if column not in header]
        for column in missing:
            problems.add(name, 1, f"missing column {column!r}")
        seen: set[str] = set()
        for column in header:
            if column in seen:
                problems.add(name, 1, f"column {column!r} appears twice")
            seen.add(column)
        if missing:
            return
        previous = reader.line_num
        for record in reader:
            line, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # a blank line
            if len(record) != len(header):
                problems.add(
                    name, line, f"has {len(record)} values but the header has {len(header)} columns"
                )
                continue
            values = dict(zip(header, (cell.strip() for cell in record), strict=True))
            empty = [
                column for column, required in columns.items() if required and not values[column]
            ]
            for column in empty:
                problems.add(name, line, f"{column!r} is empty")
            if not empty:
                yield line, values
    except csv.Error as exc:
        problems.add(name, reader.line_num or 1, f"not valid CSV ({exc})")


def _check_length(
    problems: _Problems, file: str, line: int, column: str, value: str, model, field_name: str
) -> None:
    max_length = model._meta.get_field(field_name).max_length
    if max_length and len(value) > max_length:
        problems.add(file, line, f"{column!r} is longer than {max_length} characters")


class _Unique:
    """Reports the second and later rows that repeat a value of a key."""

    def __init__(self, problems: _Problems, file: str, what: str) -> None:
        self.problems, self.file, self.what = problems, file, what
        self.first_line: dict[str, int] = {}

    def check(self, line: int, value: str) -> bool:
        if value in self.first_line:
            self.problems.add(
                self.file,
                line,
                f"duplicate {self.what} {value!r} (first on line {self.first_line[value]})",
            )
            return False
        self.first_line[value] = line
        return True


def _policing_bodies(path: Path, problems: _Problems) -> list[BodyRow]:
    file = path.name
    columns = {
        "ons_code": True,
        "force_name": True,
        "policing_body_name": True,
        "body_type": True,
        "nation": True,
        "region": True,
        "notes": False,
        "source": False,
    }
    codes = _Unique(problems, file, "ons_code")
    forces = _Unique(problems, file, "force_name")
    slugs = _Unique(problems, file, "slug (from force_name)")
    rows = []
    for line, v in _read_csv(path, columns, problems):
        before = len(problems.items)
        code = v["ons_code"]
        match = ONS_CODE_RE.match(code)
        if not match:
            problems.add(file, line, f"ons_code {code!r} is not an ONS code like E23000001")
        if v["body_type"] not in BodyType.values:
            problems.add(
                file,
                line,
                f"unknown body_type {v['body_type']!r} (expected one of "
                f"{', '.join(BodyType.values)})",
            )
        if v["nation"] not in Nation.values:
            problems.add(
                file,
                line,
                f"unknown nation {v['nation']!r} (expected one of {', '.join(Nation.values)})",
            )
        elif match and ONS_COUNTRY_NATION[match["country"]] != v["nation"]:
            problems.add(
                file, line, f"ons_code {code!r} is not in {v['nation']} (nation does not match)"
            )
        slug = body_slug(v["force_name"])
        if not slug:
            problems.add(file, line, f"force_name {v['force_name']!r} gives an empty slug")
        for column, model, field_name in (
            ("ons_code", Force, "ons_code"),
            ("force_name", Force, "name"),
            ("policing_body_name", Organisation, "name"),
            ("region", PolicingBody, "region"),
        ):
            _check_length(problems, file, line, column, v[column], model, field_name)
        unique = [codes.check(line, code), forces.check(line, v["force_name"])]
        if slug:
            unique.append(slugs.check(line, slug))
        if len(problems.items) == before and all(unique):
            rows.append(
                BodyRow(
                    line=line,
                    ons_code=code,
                    force_name=v["force_name"],
                    body_name=v["policing_body_name"],
                    body_type=v["body_type"],
                    nation=v["nation"],
                    region=v["region"],
                    notes=v["notes"],
                    source=v["source"],
                    slug=slug,
                )
            )
    return rows


def _national_bodies(path: Path, problems: _Problems) -> list[NationalRow]:
    file = path.name
    columns = {
        "short_name": True,
        "name": True,
        "kind": True,
        "parent": False,
        "on_criminal_justice_board": True,
        "role": False,
    }
    short_names = _Unique(problems, file, "short_name")
    slugs = _Unique(problems, file, "slug (from short_name)")
    rows: list[NationalRow] = []
    for line, v in _read_csv(path, columns, problems):
        before = len(problems.items)
        if v["kind"] not in NATIONAL_FILE_KINDS:
            problems.add(
                file,
                line,
                f"unknown kind {v['kind']!r} (expected one of {', '.join(NATIONAL_FILE_KINDS)})",
            )
        on_cjb = YES_NO.get(v["on_criminal_justice_board"].lower())
        if on_cjb is None:
            problems.add(
                file,
                line,
                f"on_criminal_justice_board is {v['on_criminal_justice_board']!r}; "
                "expected 'yes' or 'no'",
            )
        slug = slugify(v["short_name"])
        if not slug:
            problems.add(file, line, f"short_name {v['short_name']!r} gives an empty slug")
        if v["parent"] == v["short_name"]:
            problems.add(file, line, "an organisation cannot be its own parent")
        for column, field_name in (("short_name", "short_name"), ("name", "name")):
            _check_length(problems, file, line, column, v[column], Organisation, field_name)
        unique = [short_names.check(line, v["short_name"])]
        if slug:
            unique.append(slugs.check(line, slug))
        if len(problems.items) == before and all(unique):
            rows.append(
                NationalRow(
                    line=line,
                    short_name=v["short_name"],
                    name=v["name"],
                    kind=NATIONAL_FILE_KINDS[v["kind"]],
                    parent_short_name=v["parent"],
                    on_criminal_justice_board=bool(on_cjb),
                    role=v["role"],
                    slug=slug,
                )
            )
    return _parents_first(rows, file, problems)


def _parents_first(rows: list[NationalRow], file: str, problems: _Problems) -> list[NationalRow]:
    """Order rows so that each parent comes before its children; report unknown parents."""
    by_short_name = {row.short_name: row for row in rows}
    ordered: list[NationalRow] = []
    placed: set[str] = set()
    for row in rows:
        chain: list[NationalRow] = []
        current: NationalRow | None = row
        while current is not None and current.short_name not in placed:
            if current in chain:
                problems.add(file, row.line, f"parent {row.parent_short_name!r} makes a cycle")
                return ordered
            chain.append(current)
            parent = current.parent_short_name
            if parent and parent not in by_short_name:
                problems.add(
                    file, current.line, f"parent {parent!r} is not a short_name in this file"
                )
                return ordered
            current = by_short_name.get(parent) if parent else None
        for item in reversed(chain):
            placed.add(item.short_name)
            ordered.append(item)
    return ordered


def _themes(path: Path, problems: _Problems) -> list[ThemeRow]:
    file = path.name
    slugs = _Unique(problems, file, "slug (from theme)")
    rows = []
    for line, v in _read_csv(path, {"theme": True, "description": False}, problems):
        slug = slugify(v["theme"])
        if not slug:
            problems.add(file, line, f"theme {v['theme']!r} gives an empty slug")
            continue
        before = len(problems.items)
        _check_length(problems, file, line, "theme", v["theme"], PriorityTheme, "name")
        if slugs.check(line, slug) and len(problems.items) == before:
            rows.append(ThemeRow(line, v["theme"], v["description"], slug))
    return rows


def _portfolios(
    path: Path, themes: list[ThemeRow], themes_ok: bool, problems: _Problems
) -> list[PortfolioRow]:
    file = path.name
    theme_slugs = {theme.name: theme.slug for theme in themes}
    slugs = _Unique(problems, file, "slug (from name)")
    rows = []
    for line, v in _read_csv(path, {"name": True, "themes": False}, problems):
        before = len(problems.items)
        names = [name.strip() for name in v["themes"].split(";") if name.strip()]
        for name in names:
            if themes_ok and name not in theme_slugs:
                problems.add(file, line, f"theme {name!r} is not in {THEMES_FILE}")
        slug = slugify(v["name"])
        if not slug:
            problems.add(file, line, f"name {v['name']!r} gives an empty slug")
        _check_length(problems, file, line, "name", v["name"], StandingGroup, "name")
        if slug and slugs.check(line, slug) and len(problems.items) == before:
            linked = tuple(dict.fromkeys(theme_slugs.get(name, "") for name in names))
            rows.append(PortfolioRow(line, v["name"], linked, slug))
    return rows


# --- GeoJSON and the map ----------------------------------------------------------------------


def _line_of(text: str, needle: str) -> int | None:
    position = text.find(needle)
    return text.count("\n", 0, position) + 1 if position >= 0 else None


def _areas(path: Path, problems: _Problems) -> dict[str, Area]:
    file = path.name
    text = _read_text(path, problems)
    if text is None:
        return {}
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(file, exc.lineno, f"not valid JSON ({exc.msg} at column {exc.colno})")
        return {}
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        problems.add(file, 1, "not a GeoJSON FeatureCollection")
        return {}
    if not isinstance(features, list) or not features:
        problems.add(file, 1, "has no features")
        return {}
    shapes: dict[str, tuple[int | None, str, list]] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        code, name = properties.get("PFA23CD"), properties.get("PFA23NM")
        if not isinstance(code, str) or not code.strip():
            problems.add(file, None, f"feature {number} has no PFA23CD (ONS code)")
            continue
        code = code.strip()
        line = _line_of(text, f'"{code}"')
        if not isinstance(name, str) or not name.strip():
            problems.add(file, line, f"feature {number} ({code}) has no PFA23NM (area name)")
            continue
        polygons = polygons_of(feature.get("geometry"))
        if polygons is None:
            problems.add(
                file, line, f"feature {number} ({code}) has no valid Polygon or MultiPolygon"
            )
            continue
        if code in shapes:
            problems.add(file, line, f"duplicate PFA23CD {code!r} (feature {number})")
            continue
        if len(name.strip()) > (Force._meta.get_field("ons_name").max_length or 0):
            problems.add(file, line, f"PFA23NM of {code} is too long")
            continue
        shapes[code] = (line, name.strip(), polygons)
    if not shapes:
        return {}
    projection = Projection(polygons for _, _, polygons in shapes.values())
    return {
        code: Area(line, code, name, projection.path(polygons))
        for code, (line, name, polygons) in shapes.items()
    }


def _check_areas_match(bodies: list[BodyRow], areas: dict[str, Area], problems: _Problems) -> None:
    codes = {body.ons_code for body in bodies}
    for body in bodies:
        if body.ons_code not in areas:
            problems.add(
                POLICING_BODIES_FILE,
                body.line,
                f"ons_code {body.ons_code!r} has no boundary in {AREAS_FILE}",
            )
    for code, area in areas.items():
        if code not in codes:
            problems.add(
                AREAS_FILE,
                area.line,
                f"PFA23CD {code!r} is not an ons_code in {POLICING_BODIES_FILE}",
            )


def _check_cross_file_slugs(data: ReferenceData, problems: _Problems) -> None:
    """Policing bodies and national bodies are all Organisations: their slugs must differ."""
    body_lines = {body.slug: body.line for body in data.bodies}
    for row in data.national:
        if row.slug in body_lines:
            problems.add(
                NATIONAL_BODIES_FILE,
                row.line,
                f"slug {row.slug!r} is also the slug of {POLICING_BODIES_FILE} line "
                f"{body_lines[row.slug]}",
            )


def read_reference_data(data_dir: Path | str | None = None) -> ReferenceData:
    """Parse and check every file; raise ReferenceDataInvalid listing all problems found."""
    directory = Path(data_dir) if data_dir else DATA_DIR
    problems = _Problems()
    data = ReferenceData()
    data.bodies = _policing_bodies(directory / POLICING_BODIES_FILE, problems)
    data.national = _national_bodies(directory / NATIONAL_BODIES_FILE, problems)
    before = len(problems.items)
    data.themes = _themes(directory / THEMES_FILE, problems)
    themes_ok = len(problems.items) == before
    data.portfolios = _portfolios(directory / PORTFOLIOS_FILE, data.themes, themes_ok, problems)
    data.areas = _areas(directory / AREAS_FILE, problems)
    if not problems.items:
        _check_areas_match(data.bodies, data.areas, problems)
        _check_cross_file_slugs(data, problems)
    if problems.items:
        raise ReferenceDataInvalid(problems.items)
    return data
