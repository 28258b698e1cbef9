import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.roles import Role
from applications import permissions, readiness
from applications.choices import Status, UnitKind
from applications.models import Consortium, Unit, UnitBan
from candidates.choices import CandidateStatus
from candidates.models import Candidate
from evaluations import audit_actions as evaluations_actions
from evaluations.choices import SupportKind
from evaluations.grading import selectors as grading_selectors
from evaluations.liaison import selectors as liaison_selectors
from evaluations.models import Evaluation, ImportedConsortium, LiaisonAssignment, MemberChange, SupportRecord
from evaluations.reports import selectors as reports_selectors
from operations import clock
from reviews.models import RecommendationOpinion

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # loads the whole demo twice
def test_load_demo_covers_every_role_and_the_lifecycle_and_can_run_twice(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    printed = io.StringIO()
    call_command("load_demo", stdout=printed)
    assert set(User.objects.values_list("role", flat=True)) == set(Role)
    assert Unit.objects.count() >= 12
    assert Unit.objects.filter(kind__in=[UnitKind.UNIVERSITY, UnitKind.INSTITUTE]).count() >= 2
    assert set(Consortium.objects.values_list("status", flat=True)) == set(Status)
    assert Consortium.objects.count() == 16  # 15 through the workflow (one from 京口区's 培育库), 1 filed before the portal and imported
    ready = Consortium.objects.get(lead_unit__accounts__username="qiye").application
    assert [c.title for c in readiness.run(ready) if not c.ok] == []
    failing = Consortium.objects.get(lead_unit__accounts__username="huake").application
    assert "成员单位中至少有 1 家高校或科研院所" in [c.title for c in readiness.run(failing) if not c.ok]
    submitted = Consortium.objects.get(lead_unit__accounts__username="hengtai").application
    assert submitted.versions.count() == 1
    # The consortium's organisation (issue 20): one member signed by an 授权人 with the 授权书; a lead's code from 南京.
    assert [(s["unit_name"], s["capacity"]) for s in submitted.versions.get().content["signatories"] if s["authorization_id"]] == [
        ("江苏大学", "authorised")]
    moved = Consortium.objects.get(lead_unit__accounts__username="yuanhang").application.versions.get().content
    assert [kind for kind, _, _ in readiness.flags(moved)] == ["region"]
    assert readiness.flags(readiness.snapshot.build(readiness.snapshot.load(ready.pk))) == []  # complete, nothing to flag
    # After 备案 (issue 12): three years of reports and grades, one 优秀, a recorded member change, a liaison officer …
    year = timezone.localdate().year
    hangyu = Consortium.objects.get(lead_unit__accounts__username="hangyu")
    assert list(Evaluation.objects.filter(consortium=hangyu).order_by("year").values_list("year", "grade")) == [
        (year - 3, "qualified"), (year - 2, "qualified"), (year - 1, "excellent")]
    assert hangyu.annual_reports.filter(submitted_at__isnull=False).count() == 4
    assert MemberChange.objects.get(consortium=hangyu).status == "filed"
    assert hangyu in grading_selectors.recommended(User.objects.get(username="shikeji"))
    # … a consortium revoked after two 不合格, its lead banned …
    zhongdian = Consortium.objects.get(lead_unit__accounts__username="zhongdian")
    assert zhongdian.status == Status.REVOKED
    assert UnitBan.objects.active().get().unit == zhongdian.lead_unit
    # … an overdue report, and a dissolution refused while a provincial project runs …
    huarui = Consortium.objects.get(lead_unit__accounts__username="huarui")
    assert reports_selectors.overdue_map([huarui]) == {huarui.pk: [year - 1]}
    allowed, reason = permissions.can_take(User.objects.get(username="shikeji"), huarui, "dissolve")
    assert not allowed and "新能源汽车电驱动系统高效集成关键技术" in reason
    # … a dissolved consortium whose project was concluded, and a liaison officer with two consortia.
    shuma = Consortium.objects.get(lead_unit__accounts__username="shuma")
    assert shuma.status == Status.DISSOLVED and list(shuma.support_projects.values_list("status", flat=True)) == ["concluded"]
    assert set(LiaisonAssignment.objects.current().filter(officer__username="lianluo").values_list("consortium", flat=True)) == {hangyu.pk, huarui.pk}
    assert "lianluo" in printed.getvalue()
    # Support of every kind §五 names (issue 21.4), and one consortium imported from a workbook (issue 21.5).
    assert set(SupportRecord.objects.values_list("kind", flat=True)) == set(SupportKind.values)
    assert SupportRecord.objects.filter(kind="district_funding", recorded_by__role=Role.DISTRICT_REVIEWER).exists()
    imported = ImportedConsortium.objects.select_related("consortium", "batch").get()
    assert (imported.consortium.status, imported.batch.status, len(imported.batch.sha256)) == (Status.FILED, "imported", 64)
    assert imported.consortium.evaluations.count() == 3 and imported.consortium.support_records.count() == 2
    dashboards = {"qiye": "/workbench/applicant/", "jingkou": "/workbench/district/", "shikeji": "/workbench/municipal/",
                  "zhuanjia1": "/workbench/expert/", "sysadmin": "/workbench/system/", "auditor": "/workbench/audit/"}
    for username, dashboard in dashboards.items():
        response = client.post("/accounts/login/", {"username": username, "password": "Zj@demo2026"}, follow=True)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == dashboard
        client.post("/accounts/logout/")
    # 三员分立 under the demo data too: the system admin manages accounts without being a superuser,
    # the audit admin reads the log and cannot enter the admin.
    assert not User.objects.filter(is_superuser=True).exists()
    client.post("/accounts/login/", {"username": "sysadmin", "password": "Zj@demo2026"})
    assert client.get("/admin/accounts/user/").status_code == 200
    assert client.get("/accounts/audit/").status_code == 403
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "auditor", "password": "Zj@demo2026"})
    assert client.get("/accounts/audit/").status_code == 200
    assert client.get("/admin/accounts/user/").status_code == 302
    # The bureaus' own work (issue 21): 京口区's 培育库 has a candidate in every status, moved there by the workflow;
    # the 科技联络员 has visits, an overdue follow-up and a consortium not visited for long.
    jingkou = User.objects.get(username="jingkou")
    assert set(Candidate.objects.visible_to(jingkou).values_list("status", flat=True)) == set(CandidateStatus)
    assert Candidate.objects.get(status=CandidateStatus.FILED, bureau=jingkou.bureau).consortium.record_number
    lianluo = User.objects.get(username="lianluo")
    follow_ups, _ = liaison_selectors.open_follow_ups(lianluo)
    assert any(item.due_on < timezone.localdate() for item in follow_ups)
    unvisited, _, _ = liaison_selectors.not_visited(lianluo, timezone.localdate())
    assert [row["pk"] for row in unvisited] == [huarui.pk]
    assert RecommendationOpinion.objects.filter(consortium__lead_unit__accounts__username="jinghua").exists()  # printed after commit
    # The history is dated on its story's days (issue 17: the demo sets the portal's clock back, operations/clock.py):
    # the report of three years ago was submitted on 15 December of that year, its audit event says so, the grades were
    # decided in the following years, the ban was recorded on the day it began.
    submitted = {r.year: clock.localdate(r.submitted_at) for r in hangyu.annual_reports.filter(submitted_at__isnull=False)}
    assert submitted[year - 3] == date(year - 3, 12, 15)
    events = AuditEvent.objects.filter(action=evaluations_actions.REPORT_SUBMITTED, target__startswith=f"创新联合体 {hangyu.pk} ")
    assert {int(e.detail.split()[1]): clock.localdate(e.created_at) for e in events} == submitted  # "报送 2023 年度报告…"
    assert [clock.localdate(e.decided_at).year for e in Evaluation.objects.filter(consortium=hangyu).order_by("year")] == [
        year - 2, year - 1, year]
    ban = UnitBan.objects.get()
    assert clock.localdate(ban.recorded_at) == ban.starts_on < clock.today()
