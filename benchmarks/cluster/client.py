"""The trial's users, each a thread that signs in through the login page, then works through nginx as a person
would and writes down every request it sends: applicants saving their 章程 and uploading 附件材料, applicants
printing their dossier and downloading it, 京口区's reviewer passing applications, city staff reading the
statistics, a visitor reading the public list and checking a verification code, and the load balancer's
health probe. Every write carries a marker of its own, by which the database is compared with this log.
"""

import io
import random
import re
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser

import requests
from pypdf import PdfWriter

UPLOAD_UNAVAILABLE = "文件存储服务暂时无法连接，附件没有保存"  # operations.outages.UPLOAD_UNAVAILABLE, as the page shows it
OUTAGE_PAGE = "系统暂时无法使用"  # templates/503.html
SWITCHING_PAGE = "服务器正在切换"  # deploy/nginx/zhenjiang-50x.html, nginx's page when no app server answered
RENDER_PATIENCE = 150  # seconds a printer waits for its dossier (a retry comes 30 s after a failed attempt)
TIMEOUT = 30


@dataclass
class Entry:
    phase: str
    user: str
    kind: str  # what the request was for: save, upload, decision, render (the writes) or a page read
    method: str
    path: str
    at: float  # seconds since the phase began
    status: int  # 0: no answer at all
    ok: bool
    upstream: str = ""
    marker: str = ""
    told: str = ""  # for a failure: what the page told the user (the outage page, the upload message), if anything
    detail: dict = field(default_factory=dict)
    took: float = 0.0  # seconds from sending the request to its whole answer read (or to giving up)


class Log:
    def __init__(self):
        self.entries, self._lock = [], threading.Lock()

    def add(self, entry):
        with self._lock:
            self.entries.append(entry)

    def of(self, phase):
        with self._lock:
            return [entry for entry in self.entries if entry.phase == phase]


class Phase:
    def __init__(self, name):
        self.name, self.started, self.stop = name, time.monotonic(), threading.Event()

    def clock(self):
        return round(time.monotonic() - self.started, 2)


def marked_pdf(marker):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": marker})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class User:
    """One person: a signed-in requests session that logs each request to the trial's Log."""

    think = (0.4, 1.0)  # seconds between two actions

    def __init__(self, base, username, password, log):
        self.base, self.username, self.password, self.log = base, username, password, log
        self.session = requests.Session()
        self.counter = 0
        self.phase = None

    def send(self, kind, method, path, *, ok, marker="", detail=None, describe=None, **kwargs):
        """One request; ``ok(response)`` says whether it did what the user wanted, ``describe(response)`` adds to
        its entry's detail. Returns the response, or None when no answer came."""
        at = self.phase.clock()
        detail = dict(detail or {})
        started = time.monotonic()
        try:
            response = self.session.request(method, self.base + path, timeout=TIMEOUT, allow_redirects=False, **kwargs)
        except requests.RequestException as error:
            self.log.add(Entry(self.phase.name, self.username, kind, method, path, at, 0, False, marker=marker,
                               detail={**detail, "error": type(error).__name__}, took=time.monotonic() - started))
            return None
        took = time.monotonic() - started
        succeeded = ok(response)
        told = ""
        if not succeeded:
            text = response.content.decode("utf-8", "replace") if "text" in response.headers.get("Content-Type", "") else ""
            told = next((phrase for phrase in (OUTAGE_PAGE, UPLOAD_UNAVAILABLE, SWITCHING_PAGE) if phrase in text), "")
        if describe is not None:
            detail.update(describe(response))
        self.log.add(Entry(self.phase.name, self.username, kind, method, path, at, response.status_code, succeeded,
                           response.headers.get("X-Trial-Upstream", ""), marker, told, detail, took))
        return response

    def csrf(self):
        return self.session.cookies.get("csrftoken", "")

    def sign_in(self):
        self.session.get(self.base + "/accounts/login/", timeout=TIMEOUT)
        response = self.session.post(self.base + "/accounts/login/", allow_redirects=False, timeout=TIMEOUT, data={
            "username": self.username, "password": self.password, "csrfmiddlewaretoken": self.csrf()})
        if response.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in: HTTP {response.status_code}")

    def marker(self):
        self.counter += 1
        return f"{self.phase.name}-{self.username}-{self.counter}"

    def rest(self):
        self.phase.stop.wait(random.uniform(*self.think))

    def run(self, phase):
        self.phase = phase
        while not phase.stop.is_set():
            self.step()
            self.rest()

    def step(self):
        raise NotImplementedError


def redirected(response):
    return response.status_code == 302


def page(response):
    return response.status_code == 200


class FormFields(HTMLParser):
    """The fields a browser would send back from a page's form: inputs (checked boxes only), textareas and each
    select's chosen option (else its first), by name, in page order (the 章程 part: its sections and signatures)."""

    def __init__(self):
        super().__init__()
        self.fields, self._textarea, self._select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name, kind = attrs.get("name"), attrs.get("type")
        if tag == "input" and name and kind not in ("submit", "button", "file"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            self._select["first"] = value if self._select["first"] is None else self._select["first"]
            self._select["chosen"] = value if "selected" in attrs else self._select["chosen"]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            chosen = self._select["chosen"] if self._select["chosen"] is not None else self._select["first"]
            self.fields.append((self._select["name"], chosen or ""))
            self._select = None


def form_fields(html):
    parser = FormFields()
    parser.feed(html)
    return parser.fields


class Editor(User):
    """An applicant editing its 申请书: saves the 章程 (暂存) and uploads an attachment, and opens one of its files."""

    def __init__(self, base, applicant, password, log):
        super().__init__(base, applicant.username, password, log)
        self.applicant = applicant
        self.files = []

    def step(self):
        pk = self.applicant.consortium_id
        edit = f"/applications/{pk}/edit/charter/"
        form = self.send("read", "GET", edit, ok=page)
        found = re.search(r'name="lock_version" value="(\d+)"', form.text) if form is not None and form.status_code == 200 else None
        if found:
            marker = self.marker()
            # the form as the page shows it (sections, signatures), the 章程's free text marked
            data = [(name, value) for name, value in form_fields(form.text) if name not in ("charter_text", "csrfmiddlewaretoken")]
            data += [("csrfmiddlewaretoken", self.csrf()),
                     ("charter_text", f"{marker}\n第一条　本联合体按照共建共享、风险共担、利益共享的原则组建。")]
            self.send("save", "POST", edit, marker=marker, detail={"lock_version": int(found.group(1))},
                      ok=lambda r: redirected(r) and r.headers["Location"].endswith(edit), data=data)
        self.rest()
        listing = self.send("read", "GET", f"/applications/{pk}/edit/attachments/", ok=page)
        if listing is not None and listing.status_code == 200:
            self.files = re.findall(r'href="(/attachments/\d+/)"', listing.text) or self.files
        if listing is None or listing.status_code != 200:
            return
        once = re.search(r'name="once_token" value="([^"]+)"', listing.text)  # the form's one-time token (operations.once)
        marker = self.marker()
        self.send("upload", "POST", f"/applications/{pk}/edit/attachments/", marker=marker, ok=redirected,
                  data={"csrfmiddlewaretoken": self.csrf(), "once_token": once.group(1) if once else "",
                        "unit": self.applicant.lead_unit_id, "kind": "other", "title": marker},
                  files={"file": (f"{marker}.pdf", marked_pdf(marker), "application/pdf")})
        if self.files:
            self.rest()
            self.send("download", "GET", random.choice(self.files), ok=lambda r: r.status_code == 200 and r.content.startswith(b"%PDF-"))


class Printer(User):
    """An applicant printing its draft dossier: asks for it, waits on the progress page, downloads the PDF."""

    think = (1.0, 2.0)
    per_phase = 4  # renders per phase: the portal keeps an application's latest 5 (jobs.KEEP_RENDERS)
    patience = RENDER_PATIENCE

    def __init__(self, base, applicant, password, log, renders):
        super().__init__(base, applicant.username, password, log)
        self.applicant, self.renders = applicant, renders

    def run(self, phase):
        self.phase, self.done = phase, 0
        super().run(phase)

    def step(self):
        if self.done >= self.per_phase:
            self.phase.stop.wait(1)
            return
        self.done += 1
        pk = self.applicant.consortium_id
        asked = self.send("render", "POST", f"/applications/{pk}/dossier/", ok=redirected,
                          data={"csrfmiddlewaretoken": self.csrf(), "copies": "1"})
        if asked is None or asked.status_code != 302:
            return
        render_id = int(re.search(r"/dossier/(\d+)/", asked.headers["Location"]).group(1))
        outcome = {"phase": self.phase.name, "user": self.username, "render": render_id, "asked_at": self.phase.clock()}
        self.renders.append(outcome)
        deadline = time.monotonic() + self.patience
        progress, state = f"/applications/{pk}/dossier/{render_id}/", ""
        while time.monotonic() < deadline:  # the progress page refreshes itself every 2 seconds
            shown = self.send("read", "GET", progress, ok=page)
            found = re.search(r'id="dossier-state">([^<，]+)', shown.text) if shown is not None and shown.status_code == 200 else None
            state = found.group(1) if found else state
            if state in ("已完成", "失败"):
                break
            time.sleep(2)
        outcome["state"] = state or "未知"
        if state == "已完成":
            pdf = self.send("read", "GET", progress + "file/", ok=lambda r: r.status_code == 200 and r.content.startswith(b"%PDF-"))
            outcome["downloaded"] = pdf is not None and pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
        outcome["finished_at"] = self.phase.clock()


class Reviewer(User):
    """京口区's reviewer passing the submitted applications one after another, each with its own opinion."""

    def __init__(self, base, username, password, log, to_review):
        super().__init__(base, username, password, log)
        self.to_review = to_review

    def step(self):
        if not self.to_review:
            self.phase.stop.wait(1)
            return
        pk = self.to_review[0]
        review = self.send("read", "GET", f"/reviews/{pk}/", ok=page)
        if review is None or review.status_code != 200:
            return
        self.to_review.pop(0)
        marker = self.marker()
        decided = self.send("decision", "POST", f"/reviews/{pk}/", marker=marker, ok=redirected, detail={"consortium": pk}, data={
            "csrfmiddlewaretoken": self.csrf(), "action": "district_pass", "opinion": f"同意推荐（{marker}）"})
        if decided is not None and decided.status_code == 302:  # the page it leads to says 已办理 or why not
            self.send("read", "GET", decided.headers["Location"], ok=lambda r: r.status_code == 200 and "已办理：" in r.text)


class Reader(User):
    """City staff reading the statistics (cached in Redis), and, signed out, the public list and a verification code."""

    think = (0.5, 1.0)

    def __init__(self, base, username, password, log, verify_code):
        super().__init__(base, username, password, log)
        self.verify_code, self.visitor = verify_code, requests.Session()

    def step(self):
        self.send("read", "GET", "/overview/statistics/", ok=page)
        self.rest()
        signed_in, self.session = self.session, self.visitor
        try:
            self.send("read", "GET", "/public/", ok=page)
            self.send("read", "GET", f"/verify/{self.verify_code}", ok=page)
        finally:
            self.session = signed_in


class Prober(User):
    """The load balancer's health check: GET /healthz every second, as nginx or the balancer would."""

    def __init__(self, base, log):
        super().__init__(base, "healthz", "", log)

    def rest(self):
        self.phase.stop.wait(1)

    def step(self):
        self.send("healthz", "GET", "/healthz", ok=page, describe=failing_checks)


def failing_checks(response):
    if not response.headers.get("Content-Type", "").startswith("application/json"):
        return {}
    return {"failing": [name for name, check in response.json()["checks"].items() if not check["ok"]]}
