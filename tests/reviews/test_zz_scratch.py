import pytest
from applications.choices import Status
from applications.models import Consortium, Unit, Membership
from evaluations import documents as edocs
from tests.lifecycle import cast_at, submit_report
from tests.reviews.test_notice_layout import long_name
from tests.applications.dossier import helpers as dh
from django.utils import timezone

pytestmark = pytest.mark.django_db

def test_dump(settings):
    settings.SITE_URL = "https://kjj.zhenjiang.gov.cn"
    cast = cast_at(Status.FILED)
    Unit.objects.filter(pk=cast.consortium.lead_unit_id).update(name=long_name(1))
    Consortium.objects.filter(pk=cast.consortium.pk).update(name=long_name(2, "（智能电气）创新联合体"))
    cast.consortium.refresh_from_db()
    report = submit_report(cast.consortium, cast.applicant, timezone.localdate().year)
    open("/tmp/nt/report.pdf", "wb").write(edocs.annual_report(report))

def test_dossier(settings, monkeypatch):
    from applications import workflow
    from accounts.roles import Role
    from tests import factories
    monkeypatch.setitem(workflow._guards, "readiness", lambda c, a, p: [])
    settings.SITE_URL = "https://kjj.zhenjiang.gov.cn"
    applicant = factories.user(Role.APPLICANT)
    app = dh.application(applicant=applicant, members=3)
    Unit.objects.filter(pk=app.consortium.lead_unit_id).update(name=long_name(1))
    Membership.objects.filter(consortium=app.consortium, unit_id=app.consortium.lead_unit_id).update(unit_name=long_name(1))
    Consortium.objects.filter(pk=app.consortium.pk).update(name=long_name(2, "创新联合体"))
    app.contact_person = "欧阳" * 16
    app.contact_phone = "0511-85001234-0511-8500123"
    app.shortfall_statement = "因产业链特点，暂未吸纳高校院所。" * 5
    app.save()
    app.refresh_from_db()
    dh.submit(app, applicant)
    result = dh.rendered(app)
    open("/tmp/nt/dossier.pdf", "wb").write(result.pdf)
