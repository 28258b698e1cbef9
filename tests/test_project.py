import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from accounts.roles import Role
from tests import factories

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # renders a PDF or starts a process
def test_imports_run_one_way():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # starts a process
def test_make_lints_other_checks_pass_ruff_and_no_code_written_twice():
    """make lint's two other checks, here so that the suite fails when either breaks (the duplicates check passes
    saying so where the machine has no `duplicates` command)."""
    ruff = subprocess.run([str(Path(sys.executable).parent / "ruff"), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    duplicates = subprocess.run([str(ROOT / "scripts" / "check-duplicates")], cwd=ROOT, capture_output=True, text=True)
    assert duplicates.returncode == 0, duplicates.stdout + duplicates.stderr


def test_no_template_loads_anything_from_outside():
    external = re.compile(r"""(src|href)=["']https?://""")
    offenders = [str(path) for path in (ROOT / "templates").rglob("*.html") if external.search(path.read_text())]
    assert offenders == []


# The lifecycle's stages, earliest first. A URL name may point to its own stage or an earlier one.
STAGES = {"admin": 0, "accounts": 0, "applications": 1, "dossier": 1, "candidates": 1.5, "reviews": 2, "evaluations": 3, "dashboards": 4}
# Templates outside an app's folder (base.html, error pages, includes) are the site's shell: the top stage.
TEMPLATE_STAGE = {folder: stage for folder, stage in STAGES.items()}
URL_IN_TEMPLATE = re.compile(r"""\{%\s*url\s+["']([a-z_]+):""")
# No \b before the names: with it the pattern has no letter to look for first and reads the code in 24 ms, not 1.5
# (a name ending in one of them, safe_redirect say, is read too, as it should be).
URL_IN_CODE = re.compile(r"""(?:redirect|reverse|reverse_lazy|redirect_to_login)\(\s*["']([a-z_]+):""")


def _stage_of_template(path):
    folder = path.relative_to(ROOT / "templates").parts[0]
    return TEMPLATE_STAGE.get(folder, STAGES["dashboards"])


def _upward_links():
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        here = _stage_of_template(path)
        found += [(str(path.relative_to(ROOT)), name) for name in URL_IN_TEMPLATE.findall(path.read_text()) if STAGES[name] > here]
    for app in ("accounts", "applications", "candidates", "reviews", "evaluations", "dashboards"):
        for path in (ROOT / app).rglob("*.py"):
            here = STAGES[app]
            found += [(str(path.relative_to(ROOT)), name) for name in URL_IN_CODE.findall(path.read_text()) if STAGES[name] > here]
    return found


def test_url_names_point_down_the_lifecycle_never_up():
    assert _upward_links() == []


def test_the_url_check_would_see_an_upward_link(tmp_path):
    assert URL_IN_TEMPLATE.findall("""<a href="{% url 'reviews:review' c.pk %}">""") == ["reviews"]
    assert URL_IN_CODE.findall("""return redirect("dashboards:home")""") == ["dashboards"]


INDENTED_IMPORT = re.compile(r"\s+(from\s+\S+\s+)?import\s")
IMPORT_OR_BLANK = re.compile(r"\s+(from\s+\S+\s+)?import\s|\s*$")


def test_every_function_local_import_says_why():
    """A function-local import is there for a reason (a cycle, a heavy module, Django not set up yet): it says which."""
    unexplained = []
    for app in ("accounts", "applications", "candidates", "reviews", "evaluations", "dashboards", "zhenjiang_consortia", "tests", "benchmarks"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            lines = path.read_text().splitlines()
            for number, line in enumerate(lines):
                if "import" in line and INDENTED_IMPORT.match(line):
                    # the reason is on the line, or in a comment just above its block of imports
                    start = number
                    while start > 0 and IMPORT_OR_BLANK.match(lines[start - 1]):
                        start -= 1
                    if "#" not in " ".join(lines[max(0, start - 1):number + 1]):
                        unexplained.append(f"{path.relative_to(ROOT)}:{number + 1}: {line.strip()}")
    assert unexplained == []


CODE = ("accounts", "applications", "candidates", "reviews", "evaluations", "dashboards", "operations", "zhenjiang_consortia", "benchmarks")
LONG_MODULE = 400
LONG_MODULE_REASON = re.compile(r"Over 400 lines on purpose: \S")


def long_modules_without_a_reason(root):
    """Modules of over LONG_MODULE lines whose docstring does not say "Over 400 lines on purpose: …" (issue 17)."""
    found = []
    for app in CODE:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            if len(text.splitlines()) > LONG_MODULE and not LONG_MODULE_REASON.search(ast.get_docstring(ast.parse(text)) or ""):
                found.append(str(path.relative_to(root)))
    return found


def test_no_module_is_over_400_lines_without_saying_why():
    assert long_modules_without_a_reason(ROOT) == []


def test_the_long_module_check_sees_a_long_module_and_reads_its_reason(tmp_path):
    for app in CODE:
        (tmp_path / app).mkdir()
    body = "x = 1\n" * LONG_MODULE
    (tmp_path / "accounts" / "long.py").write_text('"""A module."""\n' + body)
    (tmp_path / "accounts" / "explained.py").write_text('"""A module.\n\nOver 400 lines on purpose: one table read whole."""\n' + body)
    (tmp_path / "accounts" / "short.py").write_text('"""A module."""\n' + "x = 1\n" * (LONG_MODULE - 1))
    (tmp_path / "accounts" / "migrations").mkdir()
    (tmp_path / "accounts" / "migrations" / "0001_initial.py").write_text(body * 2)
    assert long_modules_without_a_reason(tmp_path) == ["accounts/long.py"]


def test_no_url_takes_an_unbounded_number():
    """Ids in addresses go through operations.converters.IdConverter (at most 18 digits): a longer number
    answers 404 instead of overflowing the database's integers."""
    unbounded = [str(path.relative_to(ROOT)) for app in ("accounts", "applications", "candidates", "reviews", "evaluations", "dashboards")
                 for path in (ROOT / app).rglob("urls.py") if "<int:" in path.read_text()]
    assert unbounded == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/applications/{}/", "/reviews/{}/", "/evaluations/{}/", "/attachments/{}/", "/verify/{}", "/candidates/{}/"])
def test_an_id_too_long_for_any_record_is_404(client, url):
    client.force_login(factories.user(Role.MUNICIPAL_STAFF))
    assert client.get(url.format("9" * 25)).status_code == 404
