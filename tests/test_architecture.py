"""Dependencies between the apps point one way, and the shared modules depend on neither.

therapists may use articles' public API (its models, the article page's hooks);
articles imports nothing from therapists; ``mhsite``'s shared building blocks
(dates, site URLs, sitemap base, template tags, migration operations) import
neither app, so either app can use them. Only the project's wiring (URLconf,
settings, WSGI/ASGI, project-level management commands) brings the apps
together.
"""

import ast
import itertools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("articles", "therapists")
# mhsite modules that wire the apps together rather than serve them.
WIRING = {"mhsite.urls", "mhsite.settings", "mhsite.wsgi", "mhsite.asgi"}
WIRING_PACKAGES = ("mhsite.management.",)
# therapists may use these parts of articles; the rest (the Markdown renderer,
# date helpers, ...) belongs in mhsite when both apps need it.
ARTICLES_PUBLIC_API = {"articles.models", "articles.page_hooks"}

# Imports that other work in progress removes; each names who removes it.
PENDING: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (functions too), relative ones resolved."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def project_imports() -> dict[str, set[str]]:
    """Module -> the project modules (of the apps and mhsite) it imports."""
    graph = {}
    for package in (*APPS, "mhsite"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            graph[module_name(path)] = {
                module
                for module in imported_modules(path)
                if module.split(".")[0] in (*APPS, "mhsite")
            }
    return graph


def owner(module: str) -> str:
    return module.split(".")[0]


def app_of_import(imported: str) -> str:
    return imported.split(".")[0]


def edges(graph: dict[str, set[str]]) -> set[tuple[str, str, str]]:
    """(importing module, imported module, imported app) across packages, pending ones left out."""
    found = set()
    for module, imports in graph.items():
        for imported in imports:
            if owner(module) != app_of_import(imported) and not is_pending(module, imported):
                found.add((module, imported, app_of_import(imported)))
    return found


def is_pending(module: str, imported: str) -> bool:
    return any(module == m and imported.startswith(i) for m, i in PENDING)


def test_the_import_walk_sees_relative_imports_and_imports_inside_functions():
    graph = project_imports()
    assert "articles.models" in graph["articles.views"]  # `from .models import ...`
    assert "therapists.finder.codes" in graph["therapists.finder.passes"]
    assert "articles.page_hooks" in graph["therapists.apps"]  # inside ready()
    assert "therapists.forms" in graph["therapists.cache_tags"]  # inside a function


def test_no_import_cycle_between_the_apps():
    uses = {(owner(module), app) for module, _imported, app in edges(project_imports())}
    for first, second in itertools.permutations(APPS, 2):
        assert not {(first, second), (second, first)} <= uses, (
            f"{first} and {second} import each other"
        )


def test_articles_imports_nothing_from_therapists():
    offending = sorted(
        f"{module} imports {imported}"
        for module, imported, app in edges(project_imports())
        if owner(module) == "articles" and app == "therapists"
    )
    assert offending == []


def test_therapists_uses_only_articles_public_api():
    offending = sorted(
        f"{module} imports {imported}"
        for module, imported, app in edges(project_imports())
        if owner(module) == "therapists"
        and app == "articles"
        and not any(imported.startswith(api) for api in ARTICLES_PUBLIC_API)
    )
    assert offending == []


def test_mhsite_shared_modules_import_neither_app():
    offending = sorted(
        f"{module} imports {imported}"
        for module, imported, app in edges(project_imports())
        if owner(module) == "mhsite"
        and app in APPS
        and module not in WIRING
        and not module.startswith(WIRING_PACKAGES)
    )
    assert offending == []


def test_every_pending_exception_still_exists():
    """Once an import on the list is gone, its entry must go too, so the list stays exact."""
    graph = project_imports()
    stale = sorted(
        f"{module} -> {imported}"
        for module, imported in PENDING
        if not any(found.startswith(imported) for found in graph.get(module, ()))
    )
    assert stale == []
