"""`make bench-rush`'s comparison: what each client sent and was told, against what the database and the files hold.

Read after the run, write by write:

- a part of the 申请书 answered as saved (302): the save recorded as the version after the one its page was loaded at
  (PartSave: that part, that person), the marked field stored as sent, and, once the 申请书 was submitted, the frozen
  version holding it;
- an upload answered as saved: exactly one attachment of its title, its recorded size and SHA-256 those of the bytes
  sent, the stored file's bytes hashing to the same, and the frozen version listing that SHA-256;
- a 年度报告 save answered as saved: recorded (its audit event names the version it made), the text stored as sent, and,
  once submitted, the frozen report holding it; the figures of the first save as sent;
- a submission answered as done: the 申请书 frozen and waiting for 初审, the report frozen;
- a stale save (from the second tab): answered 409 with the editor's message, and its text stored nowhere, neither
  in the part nor in a frozen version; no save recorded beyond those answered as saved.

A write is lost when any of this fails for a write the client was told had succeeded; a write answered as failed
but found applied is counted apart. ``sabotage`` alters stored writes on purpose (RUSH_BREAK) to show the check sees it.
"""

import hashlib
import json

from django.db import close_old_connections

from accounts.models import AuditEvent
from applications.choices import MemberRole, Status
from applications.models import Application, Attachment, Membership, PartSave
from evaluations import audit_actions as evaluations_actions
from evaluations.choices import FIGURES
from evaluations.models import AnnualReport

EXAMPLES = 5  # of each kind of discrepancy, in the output


def _lead_membership(application):
    return application.consortium.memberships.current().get(role=MemberRole.LEAD)


# How the field each part's save marked is read back (rush.PARTS marks them).
STORED = {
    "basic": lambda application, detail: application.research_directions,
    "members": lambda application, detail: _lead_membership(application).duties,
    "foundation": lambda application, detail: application.platforms.order_by("position").first().name,
    "plan": lambda application, detail: application.plan_significance,
    "organization": lambda application, detail: application.chief_expert_achievements,
    "intros": lambda application, detail: Membership.objects.get(pk=detail["field"].split("-")[1]).intro_overview,
    "charter": lambda application, detail: application.charter_text,
}


class Tally:
    def __init__(self):
        self.counts, self.examples = {}, {}

    def add(self, name, amount=1):
        self.counts[name] = self.counts.get(name, 0) + amount

    def wrong(self, name, example):
        self.add(name)
        found = self.examples.setdefault(name, [])
        if len(found) < EXAMPLES:
            found.append(example)


def _frozen_text(application):
    version = application.versions.order_by("-number").first()
    return json.dumps(version.content, ensure_ascii=False) if version is not None else None


def _of(entries, user, *kinds):
    return [entry for entry in entries if entry.user == user and entry.kind in kinds]


def _applicant(entries, applicant, tally):
    application = Application.objects.select_related("consortium").get(consortium_id=applicant.consortium_id)
    saves = _of(entries, applicant.username, "save part")
    since = min((entry.detail["loaded"] for entry in saves), default=0)  # saves before the run (the seeding) left out
    recorded = {row.lock_version: (row.part, row.saved_by.username if row.saved_by else "")
                for row in PartSave.objects.filter(application=application, lock_version__gt=since).select_related("saved_by")}
    frozen = _frozen_text(application)
    submitted = any(entry.ok for entry in _of(entries, applicant.username, "submit"))
    told_saved = _part_saves(saves, applicant.username, application, recorded, frozen if submitted else "", tally)
    _stale_saves(_of(entries, applicant.username, "stale save (second tab)"), applicant.username,
                 lambda detail: [STORED[detail["part"]](application, detail), frozen or ""], tally)
    told_saved += _uploads(_of(entries, applicant.username, "upload 2 MB PDF"), applicant, frozen if submitted else "", tally)
    # Every save recorded was one answered as saved: a refused or failed request wrote nothing.
    if len(recorded) != told_saved:
        tally.wrong("saves_recorded_not_told", {"user": applicant.username, "recorded": len(recorded), "told_saved": told_saved})
    for entry in _of(entries, applicant.username, "submit"):
        tally.add("submissions_sent")
        if not entry.ok:
            continue
        if application.consortium.status == Status.SUBMITTED and frozen is not None:
            tally.add("submissions_found")
        else:
            tally.wrong("submissions_lost", {"user": applicant.username, "status": application.consortium.status})


def _part_saves(saves, username, application, recorded, frozen, tally):
    """Each part save against its PartSave row, the field stored and the frozen version (``frozen``: its text once
    submitted, else empty); returns how many were answered as saved."""
    told_saved = 0
    for entry in saves:
        tally.add("part_saves_sent")
        detail = entry.detail
        applied = recorded.get(detail["loaded"] + 1) == (detail["part"], username)
        if not entry.ok:
            tally.add("failed_but_applied", applied)
            continue
        told_saved += 1
        tally.add("part_saves_told_saved")
        stored = STORED[detail["part"]](application, detail)
        if not applied:
            tally.wrong("part_saves_not_recorded", {"user": username, **detail})
        elif stored != detail["value"]:
            tally.wrong("part_saves_not_stored_as_sent", {"user": username, **detail, "stored": stored[:120]})
        elif frozen and detail["value"] not in frozen:
            tally.wrong("part_saves_missing_from_frozen_version", {"user": username, **detail})
        else:
            tally.add("part_saves_found")
    return told_saved


def _stale_saves(stale, username, stored_texts, tally):
    """Each stale save refused (409 with the message), and its text in none of ``stored_texts(detail)``."""
    for entry in stale:
        tally.add("stale_saves_sent")
        tally.add("stale_saves_refused_with_message", entry.ok)
        if not entry.ok:
            tally.wrong("stale_saves_not_refused", {"user": username, "status": entry.status, **entry.detail})
        if any(entry.detail["value"] in text for text in stored_texts(entry.detail)):
            tally.wrong("stale_saves_applied", {"user": username, **entry.detail})


def _uploads(uploads, applicant, frozen, tally):
    told_saved = 0
    for entry in uploads:
        tally.add("uploads_sent")
        rows = list(Attachment.objects.filter(consortium_id=applicant.consortium_id, title=entry.detail["title"]))
        if not entry.ok:
            tally.add("failed_but_applied", bool(rows))
            continue
        told_saved += 1
        tally.add("uploads_told_saved")
        problem = _upload_problem(entry.detail, rows, frozen)
        if problem:
            tally.wrong("uploads_lost_or_altered", {"user": applicant.username, "title": entry.detail["title"], "problem": problem})
        else:
            tally.add("uploads_found")
    return told_saved


def _upload_problem(sent, rows, frozen):
    if len(rows) != 1:
        return f"{len(rows)} attachments of this title"
    row = rows[0]
    if (row.size, row.sha256) != (sent["size"], sent["sha256"]):
        return f"recorded {row.size} bytes, SHA-256 {row.sha256[:12]}…; sent {sent['size']} bytes, {sent['sha256'][:12]}…"
    with row.file.open("rb") as stored:
        digest = hashlib.sha256(stored.read()).hexdigest()
    if digest != sent["sha256"]:
        return f"the stored file's SHA-256 is {digest[:12]}…, the bytes sent {sent['sha256'][:12]}…"
    if frozen and sent["sha256"] not in frozen:
        return "not in the version frozen on submission"
    return ""


def _lead(entries, account, report, tally):
    report = AnnualReport.objects.get(pk=report.pk)
    saves = _of(entries, account.username, "report save")
    told = _report_saves(saves, account.username, report, tally)
    if told and any(getattr(report, name) is None for name in FIGURES):
        tally.wrong("report_figures_not_stored", {"user": account.username})
    if told and report.lock_version != told[0].detail["loaded"] + len(told):
        tally.wrong("saves_recorded_not_told", {"user": account.username, "lock_version": report.lock_version,
                                                "loaded": told[0].detail["loaded"], "told_saved": len(told)})
    frozen = json.dumps(report.content or {}, ensure_ascii=False)
    _stale_saves(_of(entries, account.username, "report stale save (second tab)"), account.username,
                 lambda detail: [report.summary, report.problems, report.next_year_plan, frozen], tally)
    for entry in _of(entries, account.username, "report submit"):
        tally.add("report_submissions_sent")
        if not entry.ok:
            continue
        if report.submitted_at is not None:
            tally.add("report_submissions_found")
        else:
            tally.wrong("report_submissions_lost", {"user": account.username})


def _report_saves(saves, username, report, tally):
    """Each 年度报告 save against its audit event (which names the version it made), the text stored and the frozen
    report; returns the saves answered as saved."""
    versions = "".join(AuditEvent.objects.filter(action=evaluations_actions.REPORT_SAVED, username=username,
                                                 target__startswith=f"创新联合体 {report.consortium_id} ")
                       .values_list("detail", flat=True))
    told = []
    for entry in saves:
        tally.add("report_saves_sent")
        detail = entry.detail
        applied = f"（第 {detail['loaded'] + 1} 次保存）" in versions
        if not entry.ok:
            tally.add("failed_but_applied", applied)
            continue
        told.append(entry)
        tally.add("report_saves_told_saved")
        stored = getattr(report, detail["field"])
        if not applied:
            tally.wrong("report_saves_not_recorded", {"user": username, **detail})
        elif stored != detail["value"]:
            tally.wrong("report_saves_not_stored_as_sent", {"user": username, **detail, "stored": stored[:120]})
        elif report.submitted_at is not None and report.content.get(detail["field"]) != detail["value"]:
            tally.wrong("report_saves_missing_from_frozen_report", {"user": username, **detail})
        else:
            tally.add("report_saves_found")
    return told


LOST = ("part_saves_not_recorded", "part_saves_not_stored_as_sent", "part_saves_missing_from_frozen_version",
        "uploads_lost_or_altered", "submissions_lost", "report_saves_not_recorded", "report_saves_not_stored_as_sent",
        "report_saves_missing_from_frozen_report", "report_figures_not_stored", "report_submissions_lost",
        "saves_recorded_not_told")


def compare(entries, seeded):
    close_old_connections()
    tally = Tally()
    for applicant in seeded["applicants"]:
        _applicant(entries, applicant, tally)
    for account, report in seeded["leads"]:
        _lead(entries, account, report, tally)
    counts = tally.counts
    return {
        "lost": sum(counts.get(name, 0) for name in LOST),
        "stale_saves": {"sent": counts.get("stale_saves_sent", 0),
                        "refused_with_message": counts.get("stale_saves_refused_with_message", 0),
                        "not_refused": counts.get("stale_saves_not_refused", 0),
                        "applied": counts.get("stale_saves_applied", 0)},
        "failed_but_applied": counts.get("failed_but_applied", 0),
        "counts": {name: value for name, value in sorted(counts.items()) if not name.startswith("stale_saves")},
        "examples": tally.examples,
    }


# --- RUSH_BREAK: one stored write altered on purpose before the comparison ------------------------------------------


def sabotage(entries, kinds):
    """Alter one stored write of each kind named (save, upload, stale, report) as a lost or wrongly applied write would
    leave it; returns what was done. Benchmark only: it changes the benchmark's own database and files."""
    done = []
    first = {kind: next((e for e in entries if e.kind == kind and e.ok and e.detail.get("part", "basic") == "basic"), None)
             for kind in ("save part", "upload 2 MB PDF", "report save")}
    first["stale save (second tab)"] = next((e for e in entries if e.kind == "stale save (second tab)" and e.ok), None)
    if "save" in kinds and first["save part"] is not None:
        entry = first["save part"]  # the save is dropped: the field holds what it held before
        Application.objects.filter(consortium__lead_unit__accounts__username=entry.user).update(research_directions="（保存前的内容）")
        done.append(f"save: {entry.user}'s 基础信息 save dropped (research_directions put back)")
    if "upload" in kinds and first["upload 2 MB PDF"] is not None:
        entry = first["upload 2 MB PDF"]  # the stored file loses its last byte
        row = Attachment.objects.get(title=entry.detail["title"])
        path = row.file.path
        with open(path, "rb+") as stored:
            stored.truncate(row.size - 1)
        done.append(f"upload: {entry.user}'s file {row.file.name} cut by one byte")
    if "stale" in kinds and first["stale save (second tab)"] is not None:
        entry = first["stale save (second tab)"]  # the stale save applied after all
        Application.objects.filter(consortium__lead_unit__accounts__username=entry.user).update(charter_text=entry.detail["value"])
        done.append(f"stale: {entry.user}'s refused 章程 save written into the 申请书")
    if "report" in kinds and first["report save"] is not None:
        entry = first["report save"]
        AnnualReport.objects.filter(consortium__lead_unit__accounts__username=entry.user).update(**{entry.detail["field"]: "（丢失）"})
        done.append(f"report: {entry.user}'s {entry.detail['field']} save dropped")
    return done
