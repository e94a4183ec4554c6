"""Rewrite the app lists of the import contracts in pyproject.toml from one list of apps.

The "forbidden" contracts (core, foundation, demo, bench, one `views-<app>` per app) each name
every app; adding an app by hand means editing a dozen lists. Run this after adding an app to
APPS below (and to the `domain` layers by hand, where it belongs):

    python scripts/import_contracts.py
"""

import re
from pathlib import Path

# Every Engage app with code other apps might import, in settings order.
APPS = [
    "core",
    "accounts",
    "directory",
    "audit",
    "notifications",
    "policies",
    "engagements",
    "documents",
    "responses",
    "releases",
    "collective",
    "clarifications",
    "acknowledgements",
    "dissemination",
    "implementation",
    "outcomes",
    "compacts",
    "sector",
    "impact",
    "briefs",
]
FOUNDATION = ["core", "accounts", "directory", "audit", "notifications"]
DOMAIN = [app for app in APPS if app not in FOUNDATION]

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def modules(names: list[str]) -> str:
    return "[" + ", ".join(f'"engage.{name}"' for name in names) + "]"


def contract_lists(contract_id: str) -> dict[str, list[str]]:
    if contract_id == "foundation":
        return {"forbidden_modules": DOMAIN}
    if contract_id in ("demo", "bench"):
        return {"source_modules": APPS}
    if contract_id.startswith("views-"):
        app = contract_id.removeprefix("views-")
        return {"source_modules": [other for other in APPS if other != app]}
    return {}  # "core" is a multi-line list, rewritten in main()


def main() -> None:
    text = PYPROJECT.read_text()
    blocks = text.split("[[tool.importlinter.contracts]]")
    out = [blocks[0]]
    for block in blocks[1:]:
        found = re.search(r'^id = "([^"]+)"', block, re.M)
        contract_id = found.group(1) if found else ""
        if contract_id == "core":
            block = re.sub(
                r"forbidden_modules = \[\n(?:    \"[^\"]+\",\n)+\]",
                "forbidden_modules = [\n"
                + "".join(f'    "engage.{app}",\n' for app in APPS if app != "core")
                + "]",
                block,
            )
        for key, names in contract_lists(contract_id).items():
            block = re.sub(rf"^{key} = \[[^\n]*\]$", f"{key} = {modules(names)}", block, flags=re.M)
        out.append(block)
    text = "[[tool.importlinter.contracts]]".join(out)
    # A views contract for every app that has none yet, after the last one.
    for app in APPS:
        if f'id = "views-{app}"' in text:
            continue
        contract = (
            "[[tool.importlinter.contracts]]\n"
            f'id = "views-{app}"\n'
            f'name = "No other app imports the {app} app\'s views"\n'
            'type = "forbidden"\n'
            f"source_modules = {modules([o for o in APPS if o != app])}\n"
            f'forbidden_modules = ["engage.{app}.views"]\n'
            "allow_indirect_imports = true\n"
            "ignore_imports = [\n]\n"
            'unmatched_ignore_imports_alerting = "none"\n\n'
        )
        text = text.replace("[tool.mypy]\n", contract + "[tool.mypy]\n", 1)
    PYPROJECT.write_text(text)


if __name__ == "__main__":
    main()
