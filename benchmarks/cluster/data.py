"""The trial's people and applications, built with the dossier benchmark's builder (benchmarks/dossier_data.py)."""

from dataclasses import dataclass, field

from accounts.models import Bureau, User
from accounts.reference import MUNICIPAL_BUREAU
from accounts.roles import Role
from applications.dossier import verification
from benchmarks import dossier_data

PASSWORD = "Trial#Cluster-2026"


@dataclass
class Applicant:
    username: str
    consortium_id: int
    lead_unit_id: int


@dataclass
class People:
    editors: list = field(default_factory=list)  # save the 章程 and upload 附件材料
    printers: list = field(default_factory=list)  # ask for their dossier and download it
    reviewer: str = ""  # 京口区's 初审
    city: str = ""  # reads the statistics
    to_review: list = field(default_factory=list)  # consortium ids submitted to 京口区, in the order the reviewer takes them
    verify_code: str = ""  # of one submitted version, for the public verification page


def _applicant(attachments):
    application = dossier_data.build(units=5, platforms=1, projects=1, plan_characters=900, attachments=attachments,
                                     attachment_pages=1, submit=False)
    consortium = application.consortium
    account = consortium.lead_unit.accounts.get()
    account.set_password(PASSWORD)
    account.save(update_fields=["password"])
    return Applicant(account.username, consortium.pk, consortium.lead_unit_id)


def _staff(username, role, bureau, full_name):
    account = User(username=username, role=role, bureau=bureau, full_name=full_name, email=f"{username}@example.gov.cn")
    account.set_password(PASSWORD)
    account.save()
    return username


def seed(*, editors=3, printers=2, to_review=100):
    people = People()
    people.editors = [_applicant(attachments=0) for _ in range(editors)]
    people.printers = [_applicant(attachments=1) for _ in range(printers)]  # an attachment to read from the bucket
    submitted = [dossier_data.build(units=5, platforms=1, projects=1, plan_characters=300, attachments=0) for _ in range(to_review)]
    people.to_review = [application.consortium_id for application in submitted]
    people.verify_code = verification.code_for(submitted[0].versions.get().sha256)
    people.reviewer = _staff("chushen", Role.DISTRICT_REVIEWER, Bureau.objects.get(district="京口区"), "京口区初审员")
    people.city = _staff("shikeji", Role.MUNICIPAL_STAFF, Bureau.objects.get(name=MUNICIPAL_BUREAU), "市科技局处长")
    return people
