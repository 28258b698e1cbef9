import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role
from applications import readiness
from applications.choices import Status, UnitKind
from applications.models import Consortium, Unit

pytestmark = pytest.mark.django_db


def test_load_demo_covers_every_role_and_the_lifecycle_and_can_run_twice(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert set(User.objects.values_list("role", flat=True)) == set(Role)
    assert Unit.objects.count() >= 12
    assert Unit.objects.filter(kind__in=[UnitKind.UNIVERSITY, UnitKind.INSTITUTE]).count() >= 2
    assert set(Consortium.objects.values_list("status", flat=True)) == set(Status)
    assert Consortium.objects.count() == 12
    ready = Consortium.objects.get(lead_unit__accounts__username="qiye").application
    assert [c.title for c in readiness.run(ready) if not c.ok] == []
    failing = Consortium.objects.get(lead_unit__accounts__username="huake").application
    assert "成员单位中至少有 1 家高校或科研院所" in [c.title for c in readiness.run(failing) if not c.ok]
    submitted = Consortium.objects.get(lead_unit__accounts__username="hengtai").application
    assert submitted.versions.count() == 1
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
