"""CPU and queries of a save, the write every lead makes again and again before a deadline: each part of the 申请书
and the annual report, posted back as its page showed it, in this process through the test client.

    python -m benchmarks.saves [count]

Uses the database `make bench` left (BENCH_DATABASE_URL): the draft of bench_applicant and this year's report of
bench_lead. Each page is opened, its form read (the one carrying lock_version) and sent back unchanged ``count``
times (default 20), as a lead pressing 暂存 does. Prints one JSON line a form: ms of CPU per save, its queries, and
the queries of opening the page.
"""

import json
import sys
import time
from html.parser import HTMLParser

from benchmarks import overview

PARTS = ("basic", "members", "foundation", "plan", "organization", "intros", "charter")


class FormFields(HTMLParser):
    """The fields of each POST form of a page with the values the page shows, as a browser sends them: checked boxes
    only, the selected option (else the first), a textarea's text; no file chosen."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = [] if (attrs.get("method") or "").lower() == "post" else None
            if self.current is not None:
                self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and "name" in attrs and attrs.get("type") not in ("submit", "button", "file", "reset"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.current.append((attrs["name"], attrs.get("value") or ""))
        elif tag == "select" and "name" in attrs:
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value") or ""
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)
        elif tag == "textarea" and "name" in attrs:
            self.textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or ([] if self.select["multiple"] else [self.select["first"] or ""])
            self.current.extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.current.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_of(html):
    parser = FormFields()
    parser.feed(html)
    fields = next(form for form in parser.forms if any(name == "lock_version" for name, _ in form))
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


def measure(client, path, count):
    # Imported here: Django is set up by main() (overview.configure()), after this module is loaded.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as opened:
        page = client.get(path)
    assert page.status_code == 200, (path, page.status_code)
    to_open = len(opened)  # now: the connection's log is a ring, read relative to where it stands
    cpu, queries, answers = 0.0, 0, set()
    for _ in range(count + 2):
        data = form_of(client.get(path).content.decode())
        started = time.process_time()
        with CaptureQueriesContext(connection) as saved:
            response = client.post(path, data)
        if _ >= 2:  # the first two warm up
            cpu += time.process_time() - started
            queries = len(saved)
        answers.add(response.status_code)
    return {"page": path, "cpu_ms_per_save": round(cpu * 1000 / count, 2), "queries_per_save": queries,
            "queries_to_open": to_open, "answers": sorted(answers)}


def main(count):
    overview.configure()
    # Imported only now: the settings come from the environment overview.configure() set.
    from django.contrib.auth import get_user_model
    from django.test import Client

    from applications.models import Consortium
    from evaluations.models import AnnualReport

    users = get_user_model().objects
    applicant, lead = users.get(username="bench_applicant"), users.get(username="bench_lead")
    draft = Consortium.objects.get(lead_unit=applicant.unit_id)
    report = AnnualReport.objects.filter(consortium__lead_unit=lead.unit_id, submitted_at__isnull=True).latest("year")
    pages = [(applicant, f"/applications/{draft.pk}/edit/{part}/") for part in PARTS]
    pages.append((lead, f"/evaluations/{report.consortium_id}/reports/{report.year}/"))
    for user, path in pages:
        client = Client(SERVER_NAME="127.0.0.1")
        client.cookies.load(overview.sessions(user, 1)[0])
        print(json.dumps(measure(client, path, count), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
