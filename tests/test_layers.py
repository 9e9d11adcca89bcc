"""The apps import one way only, read from every module's import statements.

Lowest first: accounts <- cohorts <- applications <- matching <- assessment <- participants <-
reports. An app may import the apps below it, never one above. notifications is used by all and
imports none of them; nothing imports reports; the project package (mentoring) composes them
and is imported by none. matching.scoring and matching.engine are pure: no Django, no app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    "accounts",
    "cohorts",
    "applications",
    "matching",
    "assessment",
    "participants",
    "reports",
]
APPS = [*LAYERS, "notifications", "mentoring"]
PURE = ["matching/scoring", "matching/engine"]


def package_of(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])


def imported_modules(path: Path, package: str) -> list[tuple[int, str]]:
    """Every module the file imports (top level or in a function), resolved, with its line.

    `from x import y` counts as importing x.y, which may be a module; relative imports are
    resolved against `package`, the file's own.
    """
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's own package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found += [(node.lineno, f"{module}.{alias.name}".strip(".")) for alias in node.names]
    return found


def modules_of(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


def allowed(importer: str, imported: str) -> bool:
    if importer == imported or imported not in APPS:
        return True
    if imported == "mentoring":
        return False
    if importer == "mentoring":
        return True
    if importer == "notifications":
        return False
    if imported == "notifications":
        return True
    return LAYERS.index(imported) < LAYERS.index(importer)


def test_every_app_imports_only_the_apps_below_it():
    wrong = []
    for app in APPS:
        for path in modules_of(app):
            for line, module in imported_modules(path, package_of(path)):
                top = module.split(".")[0]
                if not allowed(app, top):
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize("package", PURE)
def test_scoring_and_engine_import_no_django_and_no_app(package):
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in imported_modules(path, package_of(path)):
            top = module.split(".")[0]
            inside = module.startswith(package.replace("/", "."))
            if top == "django" or (top in APPS and not inside):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "the pure packages import:\n" + "\n".join(wrong)


def test_the_layer_check_catches_an_import_upward(tmp_path):
    """The checker itself: a lazy import and a relative one are both seen and resolved."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f():\n    from reports import views\n\nfrom ..applications import models\n"
    )
    found = {module for _line, module in imported_modules(probe, "matching.services")}
    assert found == {"reports.views", "matching.applications.models"}
    probe.write_text("from .. import models\n")
    assert imported_modules(probe, "matching.services") == [(1, "matching.models")]
    assert not allowed("cohorts", "reports")
    assert not allowed("notifications", "cohorts")
    assert not allowed("matching", "mentoring")
    assert not allowed("matching", "assessment")
    assert allowed("participants", "assessment")
    assert allowed("reports", "notifications")
