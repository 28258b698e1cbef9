"""The task worker makes itself ready before its first task (operations.workers.worker_starting): with RQ every task
runs in a process forked from it, which then has what was loaded; a failure there leaves the worker starting."""

import logging

import pytest

from applications.dossier import fonts
from applications.dossier.errors import FontMissing
from operations import workers


def test_the_worker_looks_up_and_opens_the_notice_faces_before_its_first_task(monkeypatch):
    lookups = []
    real = fonts.installed_cjk_families
    monkeypatch.setattr(fonts, "_known_installed", set())
    monkeypatch.setattr(fonts, "installed_cjk_families", lambda: lookups.append("fc-list") or real())
    workers.make_ready()
    assert lookups == ["fc-list"]
    faces = fonts.notice_faces()  # as a notice printed by a task looks them up
    assert lookups == ["fc-list"]  # found without asking fontconfig again
    assert {faces.title.family, faces.body.family} <= fonts._known_installed


def test_a_face_not_installed_is_left_for_the_notice_to_report(monkeypatch, settings, caplog):
    monkeypatch.setattr(fonts, "_known_installed", set())
    settings.NOTICE_BODY_FONT = "不存在的仿宋"
    with caplog.at_level(logging.INFO):
        workers.make_ready()
    assert caplog.records == []
    with pytest.raises(FontMissing, match="正文字体（NOTICE_BODY_FONT）“不存在的仿宋”"):
        fonts.notice_faces()  # as the notice a task then prints fails, saying which face to install


def test_a_preparation_that_fails_is_logged_and_the_worker_starts_all_the_same(monkeypatch, caplog):
    monkeypatch.setattr(fonts, "_known_installed", set())

    def broken(**signal):
        raise OSError("磁盘不可读")

    workers.worker_starting.connect(broken, dispatch_uid="tests.broken")
    try:
        with caplog.at_level(logging.ERROR):
            workers.make_ready()
    finally:
        workers.worker_starting.disconnect(dispatch_uid="tests.broken")
    assert [(record.name, record.levelname, str(record.exc_info[1])) for record in caplog.records] == [
        ("django.dispatch", "ERROR", "磁盘不可读")]
    assert len(fonts._known_installed) >= 2  # the notice faces were looked up all the same
