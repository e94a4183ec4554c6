"""The rows `reference_data.read_reference_data` returns, and the problems it reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class ReferenceDataInvalid(Exception):
    """The files are broken or inconsistent; nothing may be written."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


@dataclass(frozen=True)
class BodyRow:
    line: int
    ons_code: str
    force_name: str
    body_name: str
    body_type: str
    nation: str
    region: str
    notes: str
    source: str
    slug: str


@dataclass(frozen=True)
class NationalRow:
    line: int
    short_name: str
    name: str
    kind: str
    parent_short_name: str
    on_criminal_justice_board: bool
    role: str
    slug: str


@dataclass(frozen=True)
class ThemeRow:
    line: int
    name: str
    description: str
    slug: str


@dataclass(frozen=True)
class PortfolioRow:
    line: int
    name: str
    theme_slugs: tuple[str, ...]
    slug: str


@dataclass(frozen=True)
class Area:
    line: int | None
    ons_code: str
    ons_name: str
    svg_path: str


@dataclass
class ReferenceData:
    bodies: list[BodyRow] = field(default_factory=list)
    national: list[NationalRow] = field(default_factory=list)  # parents before children
    themes: list[ThemeRow] = field(default_factory=list)
    portfolios: list[PortfolioRow] = field(default_factory=list)
    areas: dict[str, Area] = field(default_factory=dict)
