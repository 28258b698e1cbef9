"""Every date the portal stores, shows, prints or compares is the Beijing date (DESIGN.md rule 8): no ``.date()`` of a
datetime (UTC in the database, in any zone elsewhere), no ``date.today()``, no naive ``datetime.now()``. Dates are
``clock.today()`` / ``clock.localdate(…)`` (operations/clock.py). The suite passes at 02:00 Beijing time as at 10:00 because the code never asks otherwise."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ["zhenjiang_consortia", "operations", "accounts", "applications", "reviews", "evaluations", "dashboards", "benchmarks"]
FORBIDDEN_CALLS = {("date", "today"), ("datetime", "now"), ("datetime", "today"), ("datetime", "utcnow"), ("datetime", "utcfromtimestamp")}


def offences(source):
    """(line, what) of each forbidden way to take a date in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr == "date" and not node.args and not node.keywords:
            found.append((node.lineno, ".date()"))
        owner = node.func.value
        if isinstance(owner, ast.Name) and (owner.id, node.func.attr) in FORBIDDEN_CALLS:
            found.append((node.lineno, f"{owner.id}.{node.func.attr}()"))
        if isinstance(owner, ast.Attribute) and (owner.attr, node.func.attr) in FORBIDDEN_CALLS:
            found.append((node.lineno, f"{owner.attr}.{node.func.attr}()"))
    return found


def test_product_code_takes_every_date_in_beijing_time():
    found = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found += [f"{path.relative_to(ROOT)}:{line}: {what}" for line, what in offences(path.read_text())]
    assert found == []


def test_the_scan_finds_each_forbidden_form():
    source = "\n".join([
        "moment.date()", "timezone.now().date()", "date.today()", "datetime.now()", "datetime.datetime.now()",
        "datetime.utcnow()", "timezone.localdate(moment)", "date(2026, 1, 1)", "value.date(2026)",
    ])
    assert offences(source) == [(1, ".date()"), (2, ".date()"), (3, "date.today()"), (4, "datetime.now()"), (5, "datetime.now()"),
                                (6, "datetime.utcnow()")]
