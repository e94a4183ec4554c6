"""Static assets as production serves them: collected by the manifest storage into a
temporary STATIC_ROOT, every stylesheet, script and module a page loads has a content-hashed
name (so WhiteNoise can let browsers cache it for ever), and no module reaches another by a
fixed name that would bypass the manifest."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from config.settings import base

HASHED = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(?:css|js|svg|png|ico)$")
# Static and dynamic ES module imports and re-exports: `import x from "..."`, `import "..."`,
# `export {x} from "..."`, `import("...")`.
MODULE_SPECIFIER = re.compile(
    r"""(?:\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?|\bexport\s*[\w*{}\s,$]+\s*from\s*|\bimport\s*\(\s*)["']([^"']+)["']"""
)


class Assets(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.urls: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.urls.append(attributes["src"] or "")
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"] or "")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic once, with production's storage, into a temporary folder."""
    root = tmp_path_factory.mktemp("static")
    with production_static(root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def production_static(root: Path) -> override_settings:
    """The test settings serve static files unhashed; these are production's."""
    storages = {**settings.STORAGES, "staticfiles": base.STORAGES["staticfiles"]}
    return override_settings(STORAGES=storages, STATIC_ROOT=root)


def module_imports(source: str) -> list[str]:
    return MODULE_SPECIFIER.findall(source)


def test_the_import_pattern_finds_every_form_of_module_import():
    source = (
        'import { initAll } from "./a.js"\nimport "./b.js";export * from \'./c.js\';'
        "const d = await import('./d.js')"
    )
    assert module_imports(source) == ["./a.js", "./b.js", "./c.js", "./d.js"]


@pytest.mark.parametrize("name", ["account_login", "core:accessibility"])
def test_every_script_and_stylesheet_a_page_loads_has_a_hashed_name(collected, client, db, name):
    with production_static(collected):
        html = client.get(reverse(name)).content.decode()

    urls = Assets(html).urls
    assert any(url.endswith(".css") for url in urls)
    assert sum(url.endswith(".js") for url in urls) >= 2
    assert [url for url in urls if not HASHED.match(url)] == []
    for url in urls:
        assert (collected / url.removeprefix("/static/")).is_file(), url


def test_modules_import_each_other_by_hashed_name(collected):
    """init.js starts GOV.UK Frontend by importing it; the import must name the hashed file,
    or the browser fetches the unhashed one, which cannot be cached for ever."""
    imports: dict[str, list[str]] = {}
    for script in Path(collected, "engage", "js").glob("*.js"):
        if re.search(r"\.[0-9a-f]{12}\.js$", script.name):
            imports[script.name] = module_imports(script.read_text())

    init = next(name for name in imports if name.startswith("init."))
    assert imports[init], "init.js imports GOV.UK Frontend"
    for name, specifiers in imports.items():
        for specifier in specifiers:
            assert re.search(r"\.[0-9a-f]{12}\.js$", specifier), f"{name} imports {specifier}"
            assert (collected / "engage" / "js" / Path(specifier).name).is_file()


# Printing ---------------------------------------------------------------------------------

STYLESHEET = Path(settings.BASE_DIR) / "engage" / "static" / "engage" / "css" / "app.css"


def print_rules(css: str) -> list[tuple[set[str], str]]:
    """Each rule inside an `@media print` block of the built stylesheet: (selectors, body)."""
    rules = []
    for start in (m.end() for m in re.finditer(r"@media print\s*\{", css)):
        depth, end = 1, start
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css[start : end - 1]):
            rules.append(({s.strip() for s in selectors.split(",")}, body))
    return rules


def test_the_print_rule_reader_finds_selectors_and_bodies():
    css = "a{color:red}@media print{.x,.y{display:none}.z{color:blue}}@media screen{.w{x:y}}"
    assert print_rules(css) == [({".x", ".y"}, "display:none"), ({".z"}, "color:blue")]


# Navigation and controls that do nothing on paper (header navigation, skip link, footer,
# phase banner, back links, breadcrumbs, buttons, the organisation switcher, sign-out,
# pagination, "Change" links, filter forms).
HIDDEN_WHEN_PRINTED = {
    ".govuk-skip-link",
    ".govuk-service-navigation",
    ".govuk-footer",
    ".govuk-phase-banner",
    ".govuk-back-link",
    ".govuk-breadcrumbs",
    ".govuk-button",
    ".govuk-button-group",
    ".app-header__switcher",
    ".app-header__sign-out",
    ".govuk-pagination",
    ".govuk-summary-list__actions",
    'form[method="get"]',
}


def test_printing_hides_navigation_and_controls():
    rules = print_rules(STYLESHEET.read_text())

    hidden = set().union(*(sel for sel, body in rules if re.search(r"display:\s*none", body)))
    unquoted = {selector.replace('"', "") for selector in hidden}  # Sass drops needless quotes
    assert {selector.replace('"', "") for selector in HIDDEN_WHEN_PRINTED} - unquoted == set()


def test_printed_links_show_where_they_go():
    rules = print_rules(STYLESHEET.read_text())

    targets = [sel for sel, body in rules if 'content:" (" attr(href) ")"' in body]
    assert any('[href^="/"].govuk-link::after' in sel for sel in targets)
