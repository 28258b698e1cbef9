"""CPU and queries of a save, the write every lead makes again and again before a deadline: each part of the 申请书
and the annual report, posted back as its page showed it, in this process through the test client.

    python -m benchmarks.saves [count]

Uses the database `make bench` left (BENCH_DATABASE_URL): the draft of bench_applicant and this year's report of
bench_lead. Each page is opened, its form read and sent back unchanged ``count`` times (default 20), as a lead
pressing 暂存 does. Prints one JSON line a form: ms of CPU per save, its queries, and
the queries of opening the page.
"""

import json
import sys
import time

from benchmarks import overview
from benchmarks.cluster.client import form_fields

PARTS = ("basic", "members", "foundation", "plan", "organization", "intros", "charter")


def form_of(html):
    """What a browser sends back from the page (the cluster trial's parser: checked boxes only, each select's chosen
    option, textareas), as the test client takes it."""
    data = {}
    for name, value in form_fields(html):
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
