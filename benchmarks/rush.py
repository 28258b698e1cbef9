"""`make bench-rush` (issue 22, point 4): the last hour before a deadline, played faster, with every write checked.

    python -m benchmarks.rush      # BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/zj_rush_bench

Its own PostgreSQL database (dropped, created, migrated, seeded by benchmarks/rush_data.py), gunicorn with the
deployment guide's 4 synchronous workers (RUSH_WORKERS; deploy/systemd/zhenjiang-web.service) and one task worker
(`manage.py run_worker`, the database queue), as benchmarks/printed.py runs them; uploads, dossiers and the two
servers' logs in a temporary folder, removed at the end (kept with RUSH_KEEP=1). The people are threads of this process (the cluster trial's client,
benchmarks/cluster/client.py), signed in by sessions made for them (overview.sessions), each with think time:

- RUSH_APPLICANTS (200) applicants arrive over the hour's first 45 minutes and go through their 申请书 once: open the
  editor, and at the same time the 章程 in a second tab; 暂存并填写下一部分 on each of the seven parts, the page's
  whole form sent back with one field marked; the second tab then saves its 章程 (stale: refused, 409, with the
  editor's message); upload a 2 MB scanned PDF (its bytes marked, so each upload has its own SHA-256); open the
  形式审查 page and submit;
- RUSH_LEADS (50) leads of filed consortia open this year's 年度报告 (and a second tab), save it three times (the
  figures and one text each time), save from the stale tab (refused), and submit it;
- RUSH_STAFF (10) staff, half 京口区's 初审 and half the city's, browse their queue, a submitted 申请书 (初审), the
  consortium list, the statistics (city) and export the list, until the others are done;
- RUSH_PRINTERS (20) applicants with the large 申请书 ask for its printed dossier at the same moment, 5 minutes into
  the hour, and follow the progress page until they download the PDF: the task worker renders them one after another;
- a bare Django view (/bench/bare/) is fetched every 0.25 s all along: the baseline, under the same load.

Time runs RUSH_SCALE (12) times faster than in the hour: an arrival at minute 45 comes after 225 s, 20–60 s of
reading and typing between two actions take 1.7–5 s.

Then the database is read and compared with what each client sent and was told (rush_checks.py): every save and
upload answered as saved is stored as sent (field by field, the upload's bytes by SHA-256), and in the version frozen
on submission; every stale save was refused with its message and applied nowhere. RUSH_BREAK=save,upload,stale,report
alters one stored write of each kind named before the comparison, to show that it catches it (never set it for figures).

RUSH_ENTRIES=FILE writes every request (who, what, when, status, latency) to FILE as JSON lines.

JSON lines: one per action (n, p50/p95/max in ms, errors: any answer but the expected one, no answer at all, 5xx),
the renders, the memory (peak RSS, VmHWM, of each gunicorn worker and of the task worker), the CPU time of the hour,
the error lines of the servers' logs, the comparison, and the targets with what fell short. Exits 1 when a target is missed.

Over 400 lines on purpose: one scenario (its clients, their think time and the check of every write after it)
read as a whole.
"""

import dataclasses
import hashlib
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zj_rush_bench")

from benchmarks import overview  # noqa: E402  (reads BENCH_DATABASE_URL when imported)
from benchmarks.cluster import client  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
APPLICANTS = int(os.environ.get("RUSH_APPLICANTS", "200"))
LEADS = int(os.environ.get("RUSH_LEADS", "50"))
STAFF = int(os.environ.get("RUSH_STAFF", "10"))
PRINTERS = int(os.environ.get("RUSH_PRINTERS", "20"))
CONSORTIA = int(os.environ.get("RUSH_CONSORTIA", "1000"))  # the bureaus' world
SCALE = float(os.environ.get("RUSH_SCALE", "12"))
WEB_WORKERS = int(os.environ.get("RUSH_WORKERS", "4"))
BREAK = [kind for kind in os.environ.get("RUSH_BREAK", "").split(",") if kind]
# The hour, in its own seconds (divided by SCALE when played).
ARRIVALS_WITHIN = 45 * 60
THINK = (20, 60)
PRINT_AT = 5 * 60
BARE_EVERY = 0.25  # seconds between two fetches of the bare view (not scaled: a probe, not a person)
LOAD_LIMIT = 480  # seconds: the people still working then are stopped and counted as errors
TARGETS = {"errors": 0, "error_lines_in_the_servers_logs": 0, "lost_writes": 0, "stale_saves_not_refused": 0, "stale_saves_applied": 0,
           "save_p95_over_bare_p95": 10, "worker_peak_mb": 1024, "seconds": 600}

# 暂存并填写下一部分 through the editor's parts, each with the field marked (rush_checks.STORED reads it back).
PARTS = [("basic", "research_directions"), ("members", "lead-duties"), ("foundation", "platforms-0-name"),
         ("plan", "plan_significance"), ("organization", "chief_expert_achievements"),
         ("intros", re.compile(r"intro-\d+-intro_overview")), ("charter", "charter_text")]
TEXT = "联合体围绕智能电气产业链关键环节开展协同攻关"
STALE_MESSAGE = "本次保存未生效"  # applications.services.StaleEdit, as the editor shows it (409)
READY_TO_SUBMIT = 'type="submit">提交申请书'  # the 形式审查 page's button, not disabled
REPORT_SUBMITTED = "已报送，报送后不能再修改"  # the report's page after 报送
REPORT_TEXTS = ("summary", "problems", "next_year_plan")


def say(line):
    print(json.dumps(line, ensure_ascii=False), flush=True)


def scaled(seconds):
    return seconds / SCALE


def page_with(marker_text):
    return lambda response: response.status_code == 200 and marker_text in response.text


def redirected_to(path):
    return lambda response: response.status_code == 302 and response.headers.get("Location", "").endswith(path)


def refused_as_stale(response):
    return response.status_code == 409 and STALE_MESSAGE in response.text


def fields_of(response, *, leave_out=("csrfmiddlewaretoken",)):
    return [(name, value) for name, value in client.form_fields(response.text) if name not in leave_out]


def with_value(fields, name, value):
    """The form's fields with ``name`` (a string or a pattern) set to ``value``; (fields, the name set)."""
    matches = (lambda n: n == name) if isinstance(name, str) else name.fullmatch
    found = next((n for n, _ in fields if matches(n)), None)
    if found is None:
        raise LookupError(f"the page's form has no field {name}")
    return [(n, value if n == found else v) for n, v in fields], found


def lock_version(fields):
    return int(dict(fields)["lock_version"])


class Person(client.User):
    """One person of the rush: signed in by a session made for it, arriving when the hour says, thinking between
    actions; goes through its task once (``work``). Whatever breaks in the client is logged as an error."""

    arrives_within = ARRIVALS_WITHIN

    def __init__(self, base, username, cookie, log):
        super().__init__(base, username, "", log)
        name, _, value = cookie.partition("=")
        self.session.cookies.set(name, value)
        self.think = (scaled(THINK[0]), scaled(THINK[1]))
        self.arrival = random.uniform(0, scaled(self.arrives_within))
        self.finished = False

    def run(self, phase):
        self.phase = phase
        try:
            if not phase.stop.wait(self.arrival):
                self.work()
        except Exception as error:  # a page not as expected: the rest of this person's task is not done
            self.log.add(client.Entry(phase.name, self.username, "client stopped", "-", "-", phase.clock(), 0, False,
                                      detail={"error": f"{type(error).__name__}: {error}"}))
        finally:
            self.finished = True

    def csrf_data(self, fields):
        return fields + [("csrfmiddlewaretoken", self.csrf())]

    def marker(self):
        self.counter += 1
        return f"rush-{self.username}-{self.counter}"


class Applicant(Person):
    def __init__(self, base, applicant, cookie, log, scan):
        super().__init__(base, applicant.username, cookie, log)
        self.applicant, self.scan = applicant, scan

    def edit(self, part):
        return f"/applications/{self.applicant.consortium_id}/edit/{part}/"

    def work(self):
        pk = self.applicant.consortium_id
        form = self.send("open editor", "GET", self.edit("basic"), ok=page_with('name="lock_version"'))
        second_tab = self.send("open editor (second tab)", "GET", self.edit("charter"), ok=page_with('name="lock_version"'))
        for number, (part, field) in enumerate(PARTS):
            following = self.edit(PARTS[number + 1][0]) if number + 1 < len(PARTS) else f"/applications/{pk}/edit/attachments/"
            self.rest()
            value = f"{self.marker()}：{TEXT}（{part}）"
            fields, name = with_value(fields_of(form), field, value)
            saved = self.send("save part", "POST", self.edit(part), ok=redirected_to(following),
                              data=self.csrf_data(fields) + [("save_next", "")],
                              detail={"part": part, "field": name, "value": value, "loaded": lock_version(fields)})
            if saved is None or saved.status_code != 302:
                return
            form = self.send("open editor" if number + 1 < len(PARTS) else "attachments page", "GET", following,
                             ok=page_with('name="lock_version"' if number + 1 < len(PARTS) else 'name="once_token"'))
        value = f"{self.marker()}：{TEXT}（第二个标签页）"
        fields, name = with_value(fields_of(second_tab), "charter_text", value)
        self.send("stale save (second tab)", "POST", self.edit("charter"), ok=refused_as_stale, data=self.csrf_data(fields),
                  detail={"part": "charter", "field": name, "value": value, "loaded": lock_version(fields)})
        self.upload(form)
        self.submit()

    def upload(self, listing):
        from benchmarks import rush_data  # after overview.configure()

        attachments = f"/applications/{self.applicant.consortium_id}/edit/attachments/"
        marker = self.marker()
        data = rush_data.marked(self.scan, marker)
        self.rest()
        once = dict(client.form_fields(listing.text)).get("once_token", "")
        uploaded = self.send("upload 2 MB PDF", "POST", attachments, ok=redirected_to(attachments), marker=marker,
                             detail={"title": marker, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()},
                             data={"csrfmiddlewaretoken": self.csrf(), "once_token": once,
                                   "unit": self.applicant.lead_unit_id, "kind": "other", "title": marker},
                             files={"file": (f"扫描件-{marker}.pdf", data, "application/pdf")})
        if uploaded is not None and uploaded.status_code == 302:
            self.send("attachments page", "GET", attachments, ok=page_with('name="once_token"'))

    def submit(self):
        pk = self.applicant.consortium_id
        self.send("形式审查 page", "GET", f"/applications/{pk}/check/", ok=page_with(READY_TO_SUBMIT))
        self.rest()
        done = self.send("submit", "POST", f"/applications/{pk}/submit/", ok=redirected_to(f"/applications/{pk}/"),
                         data={"csrfmiddlewaretoken": self.csrf()})
        if done is not None and done.status_code == 302:
            self.send("consortium page", "GET", done.headers["Location"], ok=client.page)


class Lead(Person):
    """A filed consortium's lead writing this year's 年度报告 and submitting it."""

    def __init__(self, base, account, report, cookie, log):
        super().__init__(base, account.username, cookie, log)
        self.consortium_id, self.year = report.consortium_id, report.year

    def work(self):
        from evaluations.choices import FIGURES  # after overview.configure()

        url = f"/evaluations/{self.consortium_id}/reports/{self.year}/"
        form = self.send("report page", "GET", url, ok=page_with('name="lock_version"'))
        second_tab = self.send("report page (second tab)", "GET", url, ok=page_with('name="lock_version"'))
        for number, field in enumerate(REPORT_TEXTS):
            self.rest()
            fields = fields_of(form)
            if number == 0:  # the figures, once
                for name in FIGURES:
                    fields, _ = with_value(fields, name, "3" if name.startswith("invention") else "1234.50" if "spend" in name
                                           or "value" in name else "12")
            value = f"{self.marker()}：{TEXT}（{field}）"
            fields, _ = with_value(fields, field, value)
            saved = self.send("report save", "POST", url, ok=redirected_to(url), data=self.csrf_data(fields),
                              detail={"field": field, "value": value, "loaded": lock_version(fields)})
            if saved is None or saved.status_code != 302:
                return
            form = self.send("report page", "GET", url, ok=page_with('name="lock_version"'))
        value = f"{self.marker()}：{TEXT}（第二个标签页）"
        fields, _ = with_value(fields_of(second_tab), "summary", value)
        self.send("report stale save (second tab)", "POST", url, ok=refused_as_stale, data=self.csrf_data(fields),
                  detail={"field": "summary", "value": value, "loaded": lock_version(fields)})
        self.rest()
        done = self.send("report submit", "POST", f"{url}submit/", ok=redirected_to(url), data={"csrfmiddlewaretoken": self.csrf()})
        if done is not None and done.status_code == 302:
            self.send("report page after submit", "GET", url, ok=page_with(REPORT_SUBMITTED))


class Staff(Person):
    """A reviewer browsing: the queue, a submitted 申请书 of the rush (初审) or the statistics (city), the list, an
    export; again and again until the applicants, the leads and the printers are done."""

    arrives_within = 60

    def __init__(self, base, account, cookie, log, reviewable):
        super().__init__(base, account.username, cookie, log)
        self.district = account.role == "district_reviewer"
        self.reviewable = reviewable  # the applicants' consortia: the world's have no real frozen version to show

    def work(self):
        queue = "/reviews/district/" if self.district else "/reviews/city/"
        while not self.phase.stop.is_set():
            listing = self.send("queue", "GET", queue, ok=client.page)
            self.rest()
            if self.district:
                waiting = [int(pk) for pk in re.findall(r'href="/reviews/(\d+)/"', listing.text if listing is not None else "")]
                mine = [pk for pk in waiting if pk in self.reviewable]
                if mine:
                    self.send("review page", "GET", f"/reviews/{random.choice(mine)}/", ok=client.page)
                    self.rest()
            else:
                self.send("statistics", "GET", "/overview/statistics/", ok=client.page)
                self.rest()
            self.send("consortium list", "GET", "/overview/consortia/", ok=client.page)
            self.rest()
            self.send("export", "GET", "/overview/consortia/export.xlsx",
                      ok=lambda r: r.status_code == 200 and r.content.startswith(b"PK"))
            self.rest()


class Printer(client.Printer):
    """The cluster trial's printer, once: the page with the 打印 button, then the request at the same moment as the
    others (a barrier), then the progress page every 2 s until the PDF is downloaded."""

    per_phase = 1
    patience = LOAD_LIMIT

    def __init__(self, base, applicant, cookie, log, renders, barrier):
        super().__init__(base, applicant, "", log, renders)
        name, _, value = cookie.partition("=")
        self.session.cookies.set(name, value)
        self.barrier, self.finished = barrier, False

    def run(self, phase):
        self.phase, self.done = phase, 0
        try:
            if phase.stop.wait(max(0.0, scaled(PRINT_AT) - 2)):
                return
            self.send("consortium page", "GET", f"/applications/{self.applicant.consortium_id}/", ok=client.page)
            self.barrier.wait(timeout=60)
            self.step()
        except Exception as error:
            self.log.add(client.Entry(phase.name, self.username, "client stopped", "-", "-", phase.clock(), 0, False,
                                      detail={"error": f"{type(error).__name__}: {error}"}))
        finally:
            self.finished = True


class Bare(client.User):
    def __init__(self, base, log):
        super().__init__(base, "bare", "", log)

    def run(self, phase):
        self.phase = phase
        while not phase.stop.is_set():
            self.send("bare view (baseline)", "GET", "/bench/bare/", ok=client.page)
            phase.stop.wait(BARE_EVERY)


# --- memory ---------------------------------------------------------------------------------------------------------


def status_kb(pid, key):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


class Memory(threading.Thread):
    """Polls the gunicorn workers (the master's children) and the task worker every 0.5 s: each one's VmHWM (the
    kernel's own peak of its resident memory) and the web workers' summed VmRSS."""

    def __init__(self, server, worker):
        super().__init__(daemon=True)
        self.server, self.worker, self.stop = server, worker, threading.Event()
        self.web_peaks, self.worker_peak_kb, self.web_total_peak_kb = {}, 0, 0

    def poll(self):
        children = Path(f"/proc/{self.server.pid}/task/{self.server.pid}/children").read_text().split()
        total = 0
        for pid in children:
            peak, now = status_kb(pid, "VmHWM"), status_kb(pid, "VmRSS")
            if peak is not None:
                self.web_peaks[pid] = max(self.web_peaks.get(pid, 0), peak)
                total += now or 0
        self.web_total_peak_kb = max(self.web_total_peak_kb, total)
        self.worker_peak_kb = max(self.worker_peak_kb, status_kb(self.worker.pid, "VmHWM") or 0)

    def run(self):
        while not self.stop.wait(0.5):
            self.poll()

    def figures(self):
        self.poll()
        return {
            "web_workers": len(self.web_peaks),
            "web_worker_peak_mb": [round(kb / 1024, 1) for kb in sorted(self.web_peaks.values(), reverse=True)],
            "web_workers_rss_sum_peak_mb": round(self.web_total_peak_kb / 1024, 1),
            "task_worker_peak_mb": round(self.worker_peak_kb / 1024, 1),
        }


# --- figures ----------------------------------------------------------------------------------------------------------


def percentile(ordered, share):
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered))) - 1))]


def action_of(entry):
    """The entry's action; the cluster trial's printer names its requests render and read."""
    if entry.kind == "render":
        return "print request (dossier)"
    if entry.kind == "read":
        return "print download" if entry.path.endswith("/file/") else "print progress page"
    return entry.kind


def per_action(entries):
    """One line per action, in the order first seen: n, p50/p95/max of the latency, errors and their answers."""
    by_action = defaultdict(list)
    for entry in entries:
        by_action[action_of(entry)].append(entry)
    lines = []
    for action, mine in by_action.items():
        ordered = sorted(entry.took * 1000 for entry in mine)
        failed = [entry for entry in mine if not entry.ok]
        lines.append({
            "action": action, "n": len(mine), "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(percentile(ordered, 0.95), 1), "max_ms": round(ordered[-1], 1), "errors": len(failed),
            **({"error_answers": dict(sorted(_answers(failed).items()))} if failed else {}),
            "server_errors": sum(entry.status >= 500 for entry in mine),
        })
    return lines


def _answers(failed):
    counted = defaultdict(int)
    for entry in failed:
        counted[entry.detail.get("error") or str(entry.status)] += 1
    return counted


def renders_made(printers, started):
    """The printers' renders as the task queue ran them: each one's time on the worker, and whether two overlapped."""
    from django_tasks_db.models import DBTaskResult  # after overview.configure()

    from applications.models import DossierRender

    rows = list(DossierRender.objects.filter(application__consortium_id__in=[p.consortium_id for p in printers]))
    runs = sorted(DBTaskResult.objects.filter(task_path__endswith="render_dossier", enqueued_at__gte=started)
                  .exclude(started_at=None).values_list("started_at", "finished_at"))
    spans = [(finished - begun).total_seconds() for begun, finished in runs if finished]
    overlapping = sum(1 for (_, end), (begin, _) in zip(runs, runs[1:]) if end and begin < end)
    first_asked = min((row.created_at for row in rows), default=None)
    last_done = max((row.finished_at for row in rows if row.finished_at), default=None)
    return {
        "asked": len(rows), "done": sum(row.state == DossierRender.State.DONE for row in rows),
        "pages": sorted({row.pages for row in rows if row.pages}),
        "render_s": {"p50": round(statistics.median(spans), 1), "max": round(max(spans), 1)} if spans else None,
        "renders_overlapping": overlapping,
        "first_asked_to_last_done_s": round((last_done - first_asked).total_seconds(), 1) if first_asked and last_done else None,
    }


def settings_used():
    from django.conf import settings  # after overview.configure()

    database = settings.DATABASES["default"]
    return {"gunicorn_workers": WEB_WORKERS, "worker_class": "sync", "threads": 1, "CONN_MAX_AGE": database["CONN_MAX_AGE"],
            "CONN_HEALTH_CHECKS": database["CONN_HEALTH_CHECKS"], "TASKS_BACKEND": settings.TASKS_BACKEND,
            "task_workers": 1, "DOSSIER_WAIT_SECONDS": settings.DOSSIER_WAIT_SECONDS, "scale": SCALE}


def short_of_targets(lines, compared, memory, logged, seconds):
    by_action = {line["action"]: line for line in lines}
    bare = by_action["bare view (baseline)"]["p95_ms"]
    ratios = {action: round(by_action[action]["p95_ms"] / bare, 1) for action in ("save part", "report save") if action in by_action}
    measured = {
        "errors": sum(line["errors"] for line in lines),
        "error_lines_in_the_servers_logs": sum(figures["error_lines"] for figures in logged.values()),
        "lost_writes": compared["lost"],
        "stale_saves_not_refused": compared["stale_saves"]["not_refused"],
        "stale_saves_applied": compared["stale_saves"]["applied"],
        "save_p95_over_bare_p95": max(ratios.values(), default=None),
        "worker_peak_mb": memory["task_worker_peak_mb"],
        "seconds": seconds,
    }
    short = [name for name, limit in TARGETS.items() if measured[name] is None or measured[name] > limit]
    return measured, ratios, short


# --- the run ----------------------------------------------------------------------------------------------------------


def seed():
    from benchmarks import rush_data  # after overview.configure()

    consortia = rush_data.world(CONSORTIA)
    return {
        "applicants": rush_data.applicants(APPLICANTS),
        "printers": rush_data.printers(PRINTERS),
        "leads": rush_data.leads(LEADS, consortia=consortia),
        "staff": rush_data.staff(STAFF),
        "scan": rush_data.scan(),
    }


def people_of(seeded, base, log, renders):
    from accounts.models import User  # after overview.configure()

    def cookie(username):
        return overview.sessions(User.objects.get(username=username), 1)[0]

    applicants = [Applicant(base, a, cookie(a.username), log, seeded["scan"]) for a in seeded["applicants"]]
    leads = [Lead(base, account, report, overview.sessions(account, 1)[0], log) for account, report in seeded["leads"]]
    barrier = threading.Barrier(len(seeded["printers"])) if seeded["printers"] else None
    printers = [Printer(base, p, cookie(p.username), log, renders, barrier) for p in seeded["printers"]]
    reviewable = {a.consortium_id for a in seeded["applicants"]}
    staff = [Staff(base, account, overview.sessions(account, 1)[0], log, reviewable) for account in seeded["staff"]]
    return applicants, leads, printers, staff


def play(base, people, staff, log):
    """Runs the hour; returns when every applicant, lead and printer is done (or LOAD_LIMIT passed)."""
    phase = client.Phase("rush")
    threads = [threading.Thread(target=person.run, args=(phase,), daemon=True) for person in people + staff]
    threads.append(threading.Thread(target=Bare(base, log).run, args=(phase,), daemon=True))
    for thread in threads:
        thread.start()
    while phase.clock() < LOAD_LIMIT and not all(person.finished for person in people):
        time.sleep(0.5)
    unfinished = [person.username for person in people if not person.finished]
    phase.stop.set()
    for thread in threads:
        thread.join(60)
    for username in unfinished:
        log.add(client.Entry(phase.name, username, "client stopped", "-", "-", phase.clock(), 0, False,
                             detail={"error": f"not done after {LOAD_LIMIT} s"}))
    return phase.clock()


def machine_busy_seconds():
    """CPU time all cores of the machine have spent busy (not idle, not waiting for the disk) since boot."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Cpu:
    """CPU time over the hour: the gunicorn workers, the task worker, this process (the clients) and the machine."""

    def __init__(self, server, worker):
        self.server, self.worker = server, worker
        self.before = self.now()

    def now(self):
        return {"web_workers": overview.workers_cpu_seconds(self.server), "task_worker": overview.cpu_seconds(self.worker.pid),
                "clients (this process)": own_cpu_seconds(), "machine (every process, 2 cores)": machine_busy_seconds()}

    def spent(self, requests):
        after = self.now()
        spent = {name: round(after[name] - self.before[name], 1) for name in after}
        return {"cpu_s": spent, "requests": requests,
                "web_cpu_ms_per_request": round(1000 * spent["web_workers"] / max(requests, 1), 1)}


ERROR_MARKS = ('"level": "ERROR"', '"level": "CRITICAL"', "[ERROR]", "[CRITICAL]", "Traceback")


def log_errors(path):
    """The lines of a server's log that report an error, and the first few of them."""
    lines = [line for line in path.read_text(errors="replace").splitlines() if any(mark in line for mark in ERROR_MARKS)]
    return {"error_lines": len(lines), **({"first": [line[:300] for line in lines[:3]]} if lines else {})}


def main():
    started = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="zj-rush-"))  # the uploads, the dossiers and the servers' logs of this run
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    overview.configure()
    overview.fresh_database()
    # Imported after overview.configure(): they read the settings it sets.
    from benchmarks import rush_checks
    from operations import clock

    seeded = seed()
    overview.analyze()
    say({"seeded": {"applicants": APPLICANTS, "leads": LEADS, "staff": STAFF, "printers": PRINTERS,
                    "world_consortia": CONSORTIA, "scan_bytes": len(seeded["scan"])},
         "seconds": round(time.monotonic() - started, 1)})
    port = overview.free_port()
    base = f"http://127.0.0.1:{port}"
    logs = {name: folder / f"{name}.log" for name in ("gunicorn", "task_worker")}
    with open(logs["gunicorn"], "w") as server_log, open(logs["task_worker"], "w") as worker_log:
        server = overview.serve(port, workers=WEB_WORKERS, timeout=60, log=server_log)  # the deployment guide's --timeout
        worker = subprocess.Popen([sys.executable, "manage.py", "run_worker"], cwd=ROOT, env={**os.environ, **overview.ENVIRONMENT},
                                  start_new_session=True, stdout=worker_log, stderr=worker_log)
    memory = Memory(server, worker)
    log, renders = client.Log(), []
    load_before = os.getloadavg()
    try:
        memory.start()
        applicants, leads, printers, staff = people_of(seeded, base, log, renders)
        since = clock.now()
        cpu = Cpu(server, worker)
        played = play(base, applicants + leads + printers, staff, log)
        cpu_figures = cpu.spent(sum(entry.status > 0 for entry in log.entries))
        memory_figures = memory.figures()
    finally:
        memory.stop.set()
        overview.stop(server)
        os.killpg(worker.pid, 15)
        worker.wait(timeout=60)
    load_after = os.getloadavg()
    if os.environ.get("RUSH_ENTRIES"):  # every request of the hour, one JSON line each, for a closer look
        with open(os.environ["RUSH_ENTRIES"], "w") as out:
            out.writelines(json.dumps({**dataclasses.asdict(entry), "action": action_of(entry)}, ensure_ascii=False) + "\n"
                           for entry in log.entries)
    lines = per_action(log.entries)
    for line in lines:
        say(line)
    say({"renders": renders_made(seeded["printers"], since), "downloaded": sum(1 for r in renders if r.get("downloaded"))})
    say({"memory": memory_figures})
    say({"cpu": cpu_figures, "load_seconds": round(played, 1)})
    logged = {name: log_errors(path) for name, path in logs.items()}
    say({"logs": logged})
    if BREAK:
        say({"broken_on_purpose": rush_checks.sabotage(log.entries, BREAK)})
    compared = rush_checks.compare(log.entries, seeded)
    say({"check": compared})
    seconds = round(time.monotonic() - started, 1)
    measured, ratios, short = short_of_targets(lines, compared, memory_figures, logged, seconds)
    say({"targets": TARGETS, "measured": measured, "save_p95_over_bare_p95": ratios, "short_of_targets": short,
         "load_seconds": round(played, 1), "seconds": seconds, "load_average": {"before": load_before, "after": load_after},
         "cpus": os.cpu_count(), "settings": settings_used()})
    if os.environ.get("RUSH_KEEP"):
        print(f"kept: {folder}", file=sys.stderr)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(1 if short else 0)


if __name__ == "__main__":
    main()
