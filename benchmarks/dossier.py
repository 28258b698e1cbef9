"""`make bench-dossier`: speed and memory of the printed dossier, as one JSON line.

Builds the issue's large application (12 units, 10 platforms, 20 projects, 20,000 characters of
plan text, 10 attached PDFs of 3 pages) in a throwaway SQLite database (a temporary file, migrated,
removed at the end; the data is built in a child process so that drawing the scans does not count),
then reports: pages, the median of 5 full renders (database read, checks, HTML, WeasyPrint, merge),
the median of WeasyPrint alone laying out the same HTML plus the attachment merge, their ratio, the
peak memory of the rendering process (maxrss), and one dossier of well over 200 pages rendered to
show that it completes.
Targets on 2 cores: median ≤ 4 s, ratio ≤ 1.25, peak ≤ 400 MB.
"""

import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
SITE_URL = "https://kjj.zhenjiang.gov.cn"
LARGE = {"platforms": 30, "projects": 60, "plan_characters": 90_000, "attachments": 32}


def configure(workdir):
    """Settings for a throwaway database and media folder; must run before django.setup()."""
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-for-a-throwaway-database-0123456789")
    os.environ.setdefault("SITE_URL", SITE_URL)
    os.environ["DOSSIER_RUNNER"] = "sync"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhenjiang_consortia.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    # Imported only now: the settings come from the environment set just above.
    import django

    django.setup()
    from django.core.management import call_command  # after django.setup(), like every import of the project below

    call_command("migrate", verbosity=0, interactive=False)


def timed(function):
    gc.collect()
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def peak_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def build_applications(workdir):
    """The test data, made in a child process so that drawing the scans does not count as the dossier's memory."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.dossier", "--build", str(workdir)],
        check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def build_in_child(workdir):
    configure(workdir)
    from . import dossier_data  # imports models: only after configure()

    ids = {"standard": dossier_data.build().pk, "large": dossier_data.build(**LARGE).pk}
    print(json.dumps(ids))


def measure(ids):
    # After configure(): these import models.
    from applications.dossier import render, source
    from applications.models import Application

    def resolved(application_id):
        return source.resolve(Application.objects.select_related("consortium").get(pk=application_id))

    def full():
        return render.render_source(resolved(ids["standard"]), site_url=SITE_URL)

    def weasyprint_plus_merge():
        book = render.prepare_book(resolved(ids["standard"]), site_url=SITE_URL)
        return timed(lambda: render.assemble(render.layout(book.html), book.attachments))[0]

    full()  # warm-up: fonts, templates and fontconfig caches, as in a running server
    full_times, bare_times, result = [], [], None
    for _ in range(RUNS):  # interleaved, so that both see the same machine state
        seconds, result = timed(full)
        full_times.append(seconds)
        bare_times.append(weasyprint_plus_merge())
    peak = peak_mb()
    large_seconds, large = timed(lambda: render.render_source(resolved(ids["large"]), site_url=SITE_URL))
    full_median, bare_median = statistics.median(full_times), statistics.median(bare_times)
    return {
        "benchmark": "dossier",
        "pages": result.pages,
        "median_s": round(full_median, 3),
        "weasyprint_plus_merge_median_s": round(bare_median, 3),
        "ratio": round(full_median / bare_median, 3),
        "peak_mb": peak,
        "runs_s": [round(t, 3) for t in full_times],
        "large_pages": large.pages,
        "large_s": round(large_seconds, 3),
        "large_peak_mb": peak_mb(),
        "cpus": os.cpu_count(),
        "targets": {"median_s": 4, "ratio": 1.25, "peak_mb": 400},
    }


def main():
    if sys.argv[1:2] == ["--build"]:
        return build_in_child(Path(sys.argv[2]))
    workdir = Path(tempfile.mkdtemp(prefix="zj-bench-dossier-"))
    try:
        configure(workdir)
        print(json.dumps(measure(build_applications(workdir)), ensure_ascii=False))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
