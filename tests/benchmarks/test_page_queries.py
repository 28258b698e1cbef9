"""Every page `make bench` measures, on the bench's own data (benchmarks/overview_data.py, smaller): the queries each
runs, held count by count, and the same when the data grows. A page that asks one query more fails here, beside the
count it had; so does a page whose queries grow with its rows."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import frozen
from benchmarks import dossier_data, overview, overview_data

pytestmark = [pytest.mark.django_db, pytest.mark.urls("benchmarks.urls")]

# What each page asks once warm, as under the bench's load: the session and its user in one query (the process has seen
# the session), the statistics from the cache, the review page's frozen readings kept by the process.
QUERIES = {
    "signed-in empty page": 1,
    "municipal consortium list": 7,
    "district queue": 6,
    "city queue": 6,
    "review page": 9,
    "consortium page": 6,
    "申请书 editor": 3,
    "annual-report editor": 4,
    "applicant workbench": 9,
    "expert workbench": 4,
    "municipal workbench": 12,
    "district workbench": 8,
    "运行管理 list": 4,
    "recommended consortia": 4,
    "liaison's dashboard": 4,
    "registration queue": 4,
    "municipal statistics": 1,
    "public list": 0,
    "export: district list": 4,
    "export: municipal list": 4,
}


def counted(client, pages, people):
    counts = {}
    for name, path, who in pages:
        if who:
            client.force_login(people[who])
        else:
            client.logout()
        fetch(client, path)  # warm: the session noted by the process, the statistics cached, the frozen readings kept
        with CaptureQueriesContext(connection) as queries:
            fetch(client, path)
        counts[name.split(" (")[0]] = len(queries.captured_queries)
    return counts


def fetch(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    if response.streaming:
        b"".join(response.streaming_content)


def test_every_page_of_the_bench_runs_the_queries_held_here_for_100_or_300_consortia(client):
    people = overview_data.seed(consortia=100, units=600)
    reviewed = overview.submitted_application(dossier_data)
    assert counted(client, overview.bench_pages(people, reviewed), people) == QUERIES
    overview_data.grow(300, already=100)
    cache.clear()  # the bulk rows written here pass no signal: the cached statistics and public page are of 100
    frozen.forget()
    assert counted(client, overview.bench_pages(people, reviewed), people) == QUERIES
