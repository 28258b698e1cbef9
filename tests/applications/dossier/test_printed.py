"""Print once, serve the file (issue 19.4): a frozen document is rendered once, by the task worker, then served as a
file; parallel first requests queue one render between them; a missing font is said on the page, never a 500."""

import io
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from applications.models import DocumentRender
from evaluations import documents
from evaluations.models import Evaluation
from tests.evaluations.helpers import filed, this_year
from tests.lifecycle import submit_report
from tests.operations.helpers import DATABASE_QUEUE

pytestmark = [pytest.mark.slow]  # renders PDFs

RENDER_TASK = "applications.dossier.printed.render_document"


def work_off_the_queue():
    """One database worker, in this process, that runs whatever is due and then stops."""
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()


def texts(pdf):
    return ["".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def in_parallel(count, fetch):
    """``fetch()`` in ``count`` threads released at once; their responses, or the first error."""
    barrier, responses, errors = threading.Barrier(count), [], []

    def one():
        try:
            barrier.wait()
            responses.append(fetch())
        except Exception as error:  # collected and asserted by the caller
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return responses


@pytest.mark.django_db(transaction=True)  # the threads and the worker see what the test committed
def test_24_parallel_requests_for_a_report_queue_one_render_and_then_all_get_the_stored_file(settings):
    settings.TASKS = DATABASE_QUEUE
    year = this_year()
    cast = filed()
    report = submit_report(cast.consortium, cast.applicant, year, summary="联合攻关取得突破")
    url = reverse("evaluations:report_pdf", args=[cast.consortium.pk, year])

    def fetch():
        client = Client()
        client.force_login(cast.city)
        return client.get(url)

    waiting = in_parallel(24, fetch)
    assert [r.status_code for r in waiting] == [200] * 24
    assert all("正在生成打印文件" in r.content.decode() and f'url={url}?wait=1"' in r.content.decode() for r in waiting)
    assert DocumentRender.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=RENDER_TASK).count() == 1  # one render for 24 requests

    work_off_the_queue()
    client = Client()
    client.force_login(cast.city)
    done = client.get(url, {"wait": "1"}).content.decode()  # the progress page, refreshed: done, with the link
    assert "已完成" in done and f'href="{url}">下载 PDF<' in done

    served = in_parallel(24, fetch)
    assert {r["Content-Type"] for r in served} == {"application/pdf"}
    files = {r.getvalue() for r in served}
    assert len(files) == 1  # the one stored file, for everyone
    assert DBTaskResult.objects.filter(task_path=RENDER_TASK).count() == 1  # and still one render
    assert texts(files.pop()) == texts(documents.annual_report(report))  # what a fresh render prints


@pytest.mark.django_db
def test_a_missing_font_is_said_on_the_consortium_page_and_the_next_request_renders_once_it_is_installed(client, settings):
    year = this_year()
    cast = filed()
    cast.take("evaluate", year=year, grade="qualified", opinion="目标基本完成。")
    evaluation = Evaluation.objects.get()
    url = reverse("evaluations:grading_notice", args=[cast.consortium.pk, evaluation.pk])
    client.force_login(cast.applicant)
    installed = settings.NOTICE_TITLE_FONT
    settings.NOTICE_TITLE_FONT = "方正小标宋简体-未安装"
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("evaluations:consortium", args=[cast.consortium.pk]), 302)]
    page = response.content.decode()
    assert "“方正小标宋简体-未安装”" in page and "NOTICE_TITLE_FONT" in page
    assert DocumentRender.objects.count() == 0  # nothing kept: the next request tries again

    settings.NOTICE_TITLE_FONT = installed
    notice = client.get(url)
    assert notice["Content-Type"] == "application/pdf"
    assert "绩效评价结果通知" in texts(notice.getvalue())[0]
    assert DocumentRender.objects.get().state == DocumentRender.State.DONE


@pytest.mark.django_db
def test_a_stored_file_cleaned_away_is_rendered_again_not_a_500(client):
    year = this_year()
    cast = filed()
    submit_report(cast.consortium, cast.applicant, year)
    url = reverse("evaluations:report_pdf", args=[cast.consortium.pk, year])
    client.force_login(cast.applicant)
    assert client.get(url)["Content-Type"] == "application/pdf"
    first = DocumentRender.objects.get()
    first.file.storage.delete(first.file.name)
    again = client.get(url)
    assert again["Content-Type"] == "application/pdf"
    assert DocumentRender.objects.get().pk != first.pk
