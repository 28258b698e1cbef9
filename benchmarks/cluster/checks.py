"""What a fault cost: the client's log of one phase compared with the database and the bucket.

- sent, failed: every request the users sent in the phase, and those that did not do what the user wanted;
- lost: a write the user was told had succeeded that the database does not hold, or a dossier asked for that
  never became a PDF;
- applied twice: a write the database holds more often than it was sent (or a dossier with two files);
- failed but applied: a write whose answer never reached the user (cut with its server) although it committed;
- half-written: an attachment row whose file is not in the bucket as recorded; files without a row: files in the
  bucket that no attachment names (stored by an upload whose transaction then failed: invisible, but kept).
"""

from collections import Counter

from django.db import close_old_connections

from applications.models import Application, Attachment, DossierRender, PartSave, StatusChange
from operations.models import FailedTask, OutboxTask

from .client import OUTAGE_PAGE, SWITCHING_PAGE, UPLOAD_UNAVAILABLE
from .services import BUCKET

IN_FLIGHT = (DossierRender.State.PENDING, DossierRender.State.RUNNING)


def bucket_objects(s3, prefix):
    keys, token = {}, None
    while True:
        page = s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix, **({"ContinuationToken": token} if token else {}))
        keys.update({item["Key"]: item["Size"] for item in page.get("Contents", [])})
        if not page.get("IsTruncated"):
            return keys
        token = page["NextContinuationToken"]


def answer(entry):
    """How a failed request was answered, in the words of the report."""
    if entry.status == 0:
        return "no answer"
    if entry.told == OUTAGE_PAGE:
        return f"{entry.status} outage page"
    if entry.told == UPLOAD_UNAVAILABLE:
        return "upload refused with the storage message"
    if entry.told == SWITCHING_PAGE:
        return f"{entry.status} nginx page (in flight on the killed server)"
    return f"{entry.status}"


def _count_against(entries, found):
    """(lost, applied twice, failed but applied) for writes each found ``found(entry)`` times in the database."""
    lost = twice = late = 0
    for entry in entries:
        times = found(entry)
        if entry.ok:
            lost += times == 0
            twice += times > 1
        else:
            late += times == 1
            twice += times > 1
    return lost, twice, late


def saves(entries, editors):
    """The 章程 saves: each success bumped the 申请书's version to the one after what its page showed."""
    lost = twice = late = 0
    for editor in editors:
        mine = [entry for entry in entries if entry.kind == "save" and entry.user == editor.username]
        if not mine:
            continue
        application = Application.objects.get(consortium_id=editor.consortium_id)
        saved = set(PartSave.objects.filter(application=application, part="charter", saved_by__username=editor.username,
                                            lock_version__gt=min(e.detail["lock_version"] for e in mine))
                    .values_list("lock_version", flat=True))
        succeeded = [entry for entry in mine if entry.ok]
        lost += sum(entry.detail["lock_version"] + 1 not in saved for entry in succeeded)
        # A save cannot be applied twice (one row per version), so any saves beyond the successes are failed
        # requests that committed, and beyond every request sent, saves from nowhere.
        late += max(0, min(len(saved), len(mine)) - len(succeeded))
        twice += max(0, len(saved) - len(mine))
        # What the 申请书 holds now is the text of one of the saves from the last success on.
        last = max((i for i, entry in enumerate(mine) if entry.ok), default=None)
        text = application.charter_text
        if last is not None and not any(text.startswith(entry.marker + "\n") for entry in mine[last:]):
            lost += 1
    return lost, twice, late


def uploads(entries, s3):
    mine = [entry for entry in entries if entry.kind == "upload"]
    counts = Counter(Attachment.objects.filter(title__in=[e.marker for e in mine]).values_list("title", flat=True))
    lost, twice, late = _count_against(mine, lambda entry: counts[entry.marker])
    stored = bucket_objects(s3, "attachments/")
    rows = Attachment.objects.filter(title__in=[e.marker for e in mine]).values_list("file", "size")
    half_written = sum(stored.get(name) != size for name, size in rows)
    # The other way round: a file in the bucket that no attachment row names (stored, then its transaction failed).
    named = set(Attachment.objects.values_list("file", flat=True))
    return lost, twice, late, half_written, sum(key not in named for key in stored)


def decisions(entries):
    mine = [entry for entry in entries if entry.kind == "decision"]
    counts = Counter(StatusChange.objects.filter(opinion__in=[f"同意推荐（{e.marker}）" for e in mine]).values_list("opinion", flat=True))
    return _count_against(mine, lambda entry: counts[f"同意推荐（{entry.marker}）"])


def renders(since, printers, asked, s3):
    """Every render of the printers' applications made in the phase must be done, with exactly one PDF."""
    rows = list(DossierRender.objects.filter(application__consortium_id__in=[p.consortium_id for p in printers], created_at__gte=since))
    pdfs = bucket_objects(s3, "dossiers/")
    lost = [row.pk for row in rows if row.state != DossierRender.State.DONE]
    twice = sum(sum(f"/dossier-{row.application_id}-{row.pk}" in key for key in pdfs) > 1 for row in rows)
    downloaded = sum(1 for outcome in asked if outcome.get("downloaded"))
    # A render made for a request whose answer was an error (the database went away after the row was written).
    late = max(0, len(rows) - len(asked))
    return {"asked": len(asked), "made": len(rows), "done": len(rows) - len(lost), "downloaded": downloaded,
            "not_done": lost, "twice": twice, "made_for_a_failed_request": late}


def wait_for_renders(since, printers, *, timeout, sleep):
    """Give the renders asked for in the phase time to finish (a retry comes 30 s after a failed attempt)."""
    waited = 0.0
    while waited < timeout:
        close_old_connections()
        if not DossierRender.objects.filter(application__consortium_id__in=[p.consortium_id for p in printers], created_at__gte=since,
                                            state__in=IN_FLIGHT).exists():
            return waited
        sleep(2)
        waited += 2
    return waited


def compare(phase, entries, asked, people, s3, since, recovered_at):
    """One line of the report for one fault."""
    close_old_connections()
    users = [entry for entry in entries if entry.kind != "healthz"]
    probes = [entry for entry in entries if entry.kind == "healthz"]
    failed = [entry for entry in users if not entry.ok]
    save = saves(users, people.editors)
    upload = uploads(users, s3)
    decision = decisions(users)
    render = renders(since, people.printers, asked, s3)
    writes = [entry for entry in users if entry.kind in ("save", "upload", "decision", "render")]
    given_up = list(FailedTask.objects.filter(failed_at__gte=since).values_list("title", "error"))
    return {
        "fault": phase,
        "sent": len(users),
        "failed": len(failed),
        "lost": save[0] + upload[0] + decision[0] + len(render["not_done"]),
        "applied_twice": save[1] + upload[1] + decision[1] + render["twice"],
        "writes": len(writes),
        "writes_failed": sum(not entry.ok for entry in writes),
        "failed_but_applied": save[2] + upload[2] + decision[2] + render["made_for_a_failed_request"],
        "half_written": upload[3],
        "files_without_a_row": upload[4],
        "failed_by_answer": dict(Counter(answer(entry) for entry in failed)),
        "server_errors_500": sum(entry.status == 500 for entry in users),
        "failed_after_recovery": sum(entry.at > recovered_at for entry in failed),
        "dossiers": render,
        "healthz": dict(Counter(f"{e.status} {'+'.join(e.detail.get('failing', [])) or 'ok'}" for e in probes)),
        "tasks_given_up": given_up,
        "tasks_waiting_for_redis": OutboxTask.objects.count(),
        "served_by": dict(Counter(entry.upstream.split(", ")[-1] or "-" for entry in users)),
    }
