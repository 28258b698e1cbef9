"""The people of `make bench-rush` (benchmarks/rush.py) and their data, built with the other benchmarks' builders.

- the bureaus' world of `make bench` (overview_data.seed: consortia in every state, 10 units each), so that the
  staff's queues, lists and exports have rows to show;
- applicants, each with a draft 申请书 that passes 形式审查 (dossier_data.build: 5 units, a platform, a project,
  the 组建协议 signed, the proofs attached), not submitted;
- leads of filed consortia, each with this year's 年度报告 begun (overview_data.report_writers);
- printers: applicants with the dossier benchmark's large 申请书 (12 units, 10 platforms, 20 projects, 20,000
  characters of plan, 10 scans of 3 pages), who ask for its printed dossier;
- staff: 京口区's 初审 reviewers (the applicants' district) and the city's staff.

Accounts have no password: the benchmark signs them in by making their sessions (overview.sessions).
"""

import io

from django.db import transaction
from PIL import Image
from pypdf import PdfReader, PdfWriter

from accounts.models import Bureau, User
from accounts.reference import MUNICIPAL_BUREAU
from accounts.roles import Role
from applications.choices import Status
from benchmarks import dossier_data, overview_data
from benchmarks.cluster.data import Applicant

SCAN_PAGES = 10  # A4 at 150 dpi with a scanner's grain: about 200 KB a page as JPEG, 2 MB in all


def _applicant(**size):
    application = dossier_data.build(submit=False, **size)
    consortium = application.consortium
    return Applicant(consortium.lead_unit.accounts.get().username, consortium.pk, consortium.lead_unit_id)


def applicants(count):
    """Drafts as the cluster trial's editors have them (benchmarks/cluster/data.py), complete for submission."""
    with transaction.atomic():  # one commit: a commit per row is most of the seeding's time
        return [_applicant(units=5, platforms=1, projects=1, plan_characters=900, attachments=0, attachment_pages=1)
                for _ in range(count)]


def printers(count):
    with transaction.atomic():
        return [_applicant() for _ in range(count)]


def leads(count, *, consortia):
    """Leads of ``count`` filed consortia of the world (not the one `make bench` writes with), a report begun each."""
    filed = [c for c in consortia if c.status == Status.FILED][1:count + 1]
    if len(filed) < count:
        raise RuntimeError(f"the world has {len(filed)} filed consortia to spare, not {count}: seed more consortia")
    return overview_data.report_writers(filed, username="rush_lead")


def staff(count):
    """``count`` staff, half 京口区's 初审 reviewers (rounded up), half the city's: [(account, role)]."""
    jingkou, city = Bureau.objects.get(district="京口区"), Bureau.objects.get(name=MUNICIPAL_BUREAU)
    made = []
    for n in range(count):
        role, bureau = (Role.DISTRICT_REVIEWER, jingkou) if n % 2 == 0 else (Role.MUNICIPAL_STAFF, city)
        account = User(username=f"rush_staff{n + 1}", full_name=f"审核员{n + 1}", role=role, bureau=bureau)
        account.set_unusable_password()
        account.save()
        made.append(account)
    return made


def world(consortia):
    """The bureaus' world (`make bench`'s, with 10 units a consortium); returns the consortia."""
    overview_data.seed(consortia=consortia, units=10 * consortia)
    return list(overview_data.Consortium.objects.order_by("pk"))


def scan(pages=SCAN_PAGES):
    """A scanned PDF of about 2 MB: grey A4 pages with a scanner's grain, as JPEG."""
    images = [Image.effect_noise((1240, 1754), 24).point(lambda v: 200 + v // 5).convert("RGB") for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=images[1:], quality=75)
    return buffer.getvalue()


def marked(scan_pdf, marker):
    """The scan with ``marker`` as its title: every upload's bytes (and SHA-256) its own."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(scan_pdf)))
    writer.add_metadata({"/Title": marker})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
