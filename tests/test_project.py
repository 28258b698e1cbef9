import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_imports_run_one_way():
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_template_loads_anything_from_outside():
    external = re.compile(r"""(src|href)=["']https?://""")
    offenders = [str(path) for path in (ROOT / "templates").rglob("*.html") if external.search(path.read_text())]
    assert offenders == []
