"""The login page's latency while one lead asks for the same annual report PDF 24 times at once (issue 19.4).

    python -m benchmarks.printed          # BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/zj_printbench

Its own PostgreSQL database (dropped and created, migrated, the demo data loaded), gunicorn with 2 sync workers and one
task worker (`manage.py run_worker`), as in production. First the login page alone (sequential GETs for 5 s); then 24
threads, each with a session of the lead (`hangyu`), GET the same report.pdf at once, behaving as a browser does: a
progress page is refreshed every 2 s (``?wait=1``) until it says 已完成, then the PDF is fetched. While they run, the login
page is fetched again and again. One JSON line: the login page's latency alone and during the burst, how long the 24
took to get their PDF, and how many renders were made (rows of DocumentRender where the portal keeps them; on a portal
that renders in the request, every request is a render).
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zj_printbench")

from benchmarks import overview  # noqa: E402  (reads BENCH_DATABASE_URL when imported)

ROOT = Path(__file__).resolve().parent.parent
PARALLEL = 24
ALONE_SECONDS = 5
LEAD = "hangyu"


def get(url, cookie=None, timeout=120):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    started = time.monotonic()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read()
        return time.monotonic() - started, response.headers.get("Content-Type", ""), body


def login_latencies(base, until):
    """Sequential GETs of the login page until ``until()`` says stop; their latencies in ms."""
    found = []
    while not until():
        found.append(get(f"{base}/accounts/login/")[0] * 1000)
        time.sleep(0.05)
    return found


def as_a_browser(url, cookie, results):
    started = time.monotonic()
    elapsed, kind, body = get(url, cookie)
    while not kind.startswith("application/pdf"):
        if "已完成" in body.decode():
            elapsed, kind, body = get(url, cookie)  # the 下载 PDF link
            continue
        time.sleep(2)  # the progress page's meta refresh
        elapsed, kind, body = get(f"{url}?wait=1", cookie)
    results.append((time.monotonic() - started, len(body)))


def figures(latencies):
    ordered = sorted(latencies)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1), "max_ms": round(ordered[-1], 1)}


def renders_made():
    from django.db import connection  # after overview.configure(): the settings come from the environment it sets

    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('applications_documentrender')")
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute("SELECT count(*) FROM applications_documentrender")
        return cursor.fetchone()[0]


def main():
    overview.configure()
    overview.fresh_database()
    # Imported only now: the settings come from the environment overview.configure() set.
    from django.core.management import call_command

    from accounts.models import User
    from evaluations.models import AnnualReport

    call_command("load_demo", verbosity=0)
    overview.analyze()
    lead = User.objects.get(username=LEAD)
    report = AnnualReport.objects.filter(consortium__lead_unit=lead.unit, submitted_at__isnull=False).order_by("-year").first()
    cookies = overview.sessions(lead, PARALLEL)
    port = overview.free_port()
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/evaluations/{report.consortium_id}/reports/{report.year}/report.pdf"
    server = overview.serve(port)
    worker = subprocess.Popen([sys.executable, "manage.py", "run_worker"], cwd=ROOT, env={**os.environ, **overview.ENVIRONMENT},
                              start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(5):
            get(f"{base}/accounts/login/")
        deadline = time.monotonic() + ALONE_SECONDS
        alone = login_latencies(base, lambda: time.monotonic() > deadline)
        results = []
        threads = [threading.Thread(target=as_a_browser, args=(url, cookie, results)) for cookie in cookies]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        during = login_latencies(base, lambda: not any(thread.is_alive() for thread in threads))
        for thread in threads:
            thread.join()
        took = time.monotonic() - started
        renders = renders_made()
        print(json.dumps({
            "login_alone": figures(alone), "login_during_24_report_pdfs": figures(during),
            "pdfs_received": len(results), "all_24_received_after_s": round(took, 1),
            "slowest_pdf_s": round(max(r[0] for r in results), 1), "pdf_bytes": sorted({r[1] for r in results}),
            "renders": renders if renders is not None else f"{PARALLEL} (in the request)",
        }, ensure_ascii=False))
    finally:
        overview.stop(server)
        os.killpg(worker.pid, 15)
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
