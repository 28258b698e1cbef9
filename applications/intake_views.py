"""The applicant's editor for the 申请书: one page per part, 暂存 at any time, readiness check, submit.

Over 400 lines on purpose: the editor's pages, its 暂存 and stale-save handling and the readiness check share
the table of parts (PARTS) and the editor's context; split, each page would import the others'.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import audit
from accounts import audit_actions as accounts_actions
from accounts.permissions import role_required, take_stashed_post
from accounts.roles import Role
from operations.files import protected_file_response
from operations.once import once_per_token

from . import attachment_files, diff, editing, permissions, readiness, selectors, services, snapshot, uploads, workflow
from .choices import CHARTER_SECTIONS, EDITOR_PARTS, AttachmentKind, Body, MemberRole, Part
from .forms import (
    AttachmentForm,
    BasicInfoForm,
    CharterForm,
    IntroForm,
    LeadRowForm,
    MemberFormSet,
    OrganizationForm,
    PlanForm,
    PlatformFormSet,
    ProjectFormSet,
    SeatFormSet,
    SignatoryFormSet,
    StatementForm,
    TargetFormSet,
)

REVIEWERS = (Role.APPLICANT, Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)
TABLE_COLUMNS = {
    "platform_columns": [("name", "平台名称"), ("industry", "产业领域"), ("level", "级别"), ("host_unit", "依托单位"), ("built_on", "建设时间")],
    "project_columns": [("name", "项目名称"), ("industry", "产业领域"), ("level", "级别"), ("starts_on", "实施期起"),
                        ("ends_on", "实施期止"), ("undertaker", "承担单位")],
    "target_columns": [("year", "年度"), ("tasks", "建设任务"), ("research_plan", "研发项目计划"), ("team_building", "团队建设"),
                       ("rd_investment", "研发经费投入（万元）")],
    "seat_columns": [("role", "职务"), ("name", "姓名"), ("unit_name", "所在单位"), ("title", "职务/职称")],
}


# --- The parts: how each builds its forms, and the data its writer (services.WRITERS) takes ------


def _members(application):
    return snapshot.current_members(application)


def basic_forms(application, data=None, files=None):
    consortium = application.consortium
    initial = {field: getattr(application, field) for field in BasicInfoForm.base_fields if hasattr(application, field)}
    initial.update(name=consortium.name, industry_field=consortium.industry_field_id,
                   chief_scientist=consortium.chief_scientist, chief_scientist_title=consortium.chief_scientist_title)
    return {"form": BasicInfoForm(data, initial=initial)}


def basic_data(forms):
    return forms["form"].cleaned_data


def members_forms(application, data=None, files=None):
    members = _members(application)
    lead = next(m for m in members if m.role == MemberRole.LEAD)
    rows = [
        {"membership": m.pk, "unit_name": m.unit_name, "credit_code": m.unit.credit_code, "unit_kind": m.unit_kind,
         "task_division": m.task_division, "duties": m.duties, "sales_revenue": m.sales_revenue, "rd_spend": m.rd_spend,
         "patent_count": m.patent_count, "invention_patent_count": m.invention_patent_count, "qualifications": m.qualifications}
        for m in members if m.role == MemberRole.MEMBER
    ]
    lead_initial = {f: getattr(lead, f) for f in LeadRowForm.base_fields}
    return {
        "lead_membership": lead,
        "lead": LeadRowForm(data, prefix="lead", initial=lead_initial),
        "formset": MemberFormSet(data, prefix="members", initial=rows, lead_unit=lead.unit),
    }


def _rows(formset):
    """The rows to keep, in page order: filled in, not marked for deletion (a blank added row is no row)."""
    return [
        {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "membership")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def members_data(forms):
    return {"lead": forms["lead"].cleaned_data, "rows": _rows(forms["formset"])}


def foundation_forms(application, data=None, files=None):
    def rows(queryset, fields):
        return [{f: getattr(obj, f) for f in fields} for obj in queryset]

    return {
        "platforms": PlatformFormSet(data, prefix="platforms", initial=rows(application.platforms.all(), PlatformFormSet.form.base_fields)),
        "projects": ProjectFormSet(data, prefix="projects", initial=rows(application.projects.all(), ProjectFormSet.form.base_fields)),
    }


def foundation_data(forms):
    return {"platforms": _rows(forms["platforms"]), "projects": _rows(forms["projects"])}


def plan_forms(application, data=None, files=None):
    targets = [{f: getattr(t, f) for f in TargetFormSet.form.base_fields} for t in application.targets.all()]
    return {
        "form": PlanForm(data, initial={f: getattr(application, f) for f in PlanForm.base_fields}),
        "targets": TargetFormSet(data, prefix="targets", initial=targets),
    }


def plan_data(forms):
    return {"plan": forms["form"].cleaned_data, "targets": _rows(forms["targets"])}


def intros_forms(application, data=None, files=None):
    return {
        "intros": [
            (m, IntroForm(data, prefix=f"intro-{m.pk}", unit_kind=m.unit_kind,
                          initial={f: getattr(m, f) for f in IntroForm.base_fields}))
            for m in _members(application)
        ]
    }


def intros_data(forms):
    return {m.pk: form.cleaned_data for m, form in forms["intros"]}


def charter_forms(application, data=None, files=None):
    initial = {name: getattr(application, name) for name, _ in CHARTER_SECTIONS}
    return {
        "form": CharterForm(data, files, initial={**initial, "charter_text": application.charter_text}),
        "signatories": signatory_forms(application, data, files),
    }


def signatory_forms(application, data=None, files=None):
    """One row per unit of the member table; the lead's, until first saved, proposes its 法定代表人 as declared."""
    current = selectors.signatures(application)
    units = [(m.unit_id, m.unit_name) for m in _members(application)]
    return SignatoryFormSet(data, files, prefix="signatories", units=units, current=current)


def charter_data(forms):
    cleaned = forms["form"].cleaned_data
    return {"sections": {name: cleaned[name] for name, _ in CHARTER_SECTIONS}, "charter_text": cleaned["charter_text"],
            "signatures": forms["signatories"].rows()}


def organization_forms(application, data=None, files=None):
    seats = {body: [] for body in Body}
    for seat in application.body_seats.all():
        seats[seat.body].append({f: getattr(seat, f) for f in SeatFormSet.form.base_fields})
    return {
        "form": OrganizationForm(data, initial={f: getattr(application, f) for f in OrganizationForm.base_fields}),
        "council": SeatFormSet(data, prefix="council", body=Body.COUNCIL, initial=seats[Body.COUNCIL]),
        "advisory": SeatFormSet(data, prefix="advisory", body=Body.ADVISORY, initial=seats[Body.ADVISORY]),
    }


def organization_data(forms):
    return {"organization": forms["form"].cleaned_data,
            "seats": {Body.COUNCIL: _rows(forms["council"]), Body.ADVISORY: _rows(forms["advisory"])}}


def statement_forms(application, data=None, files=None):
    return {"form": StatementForm(data, initial={"shortfall_statement": application.shortfall_statement})}


def statement_data(forms):
    return forms["form"].cleaned_data["shortfall_statement"]


PARTS = {
    Part.BASIC: (basic_forms, basic_data),
    Part.MEMBERS: (members_forms, members_data),
    Part.FOUNDATION: (foundation_forms, foundation_data),
    Part.PLAN: (plan_forms, plan_data),
    Part.ORGANIZATION: (organization_forms, organization_data),
    Part.INTROS: (intros_forms, intros_data),
    Part.CHARTER: (charter_forms, charter_data),
}


# --- Pages ------------------------------------------------------------------------------------


def _application(user, pk, *, whole=True, marked=False):
    try:
        return selectors.application_for(user, pk, editor=True, whole=whole, marked=marked)
    except selectors.NotFound:
        raise Http404("没有找到该申请。") from None


def _editor_context(request, application, part, *, pending_parts=None, **extra):
    """``application`` as _application read it (in the user's scope); ``pending_parts`` if the view read them."""
    content = snapshot.build(snapshot.read_whole(application))
    if part == Part.MEMBERS:  # the credit codes' warnings beside the member table, from the same content and units
        units = [m.unit for m in snapshot.current_members(application)]
        extra.setdefault("member_warnings", readiness.member_warnings(content["members"], units))
    return {
        "application": application,
        "consortium": application.consortium,
        "part": part,
        "parts": EDITOR_PARTS,
        "completeness": readiness.completeness(content),
        "editable": permissions.can_edit_in_scope(request.user, application.consortium)[0],
        "latest_version": selectors.latest_version(application),
        "pending_parts": selectors.pending_parts(application) if pending_parts is None else pending_parts,
        "min_members": settings.CONSORTIUM_MIN_MEMBERS,
        **TABLE_COLUMNS,
        **extra,
    }


def _kept_part(kwargs):
    """A post that outlived its session is kept only for a real part of the editor."""
    return kwargs.get("part") in PARTS


@role_required(Role.APPLICANT, keep_post=_kept_part)
def edit_part(request, pk, part):
    if part not in PARTS:
        raise Http404("没有这一部分。")
    # A save reads only what its part's forms need: the whole 申请书 is read if the page is drawn (again). A page that
    # only draws (GET) reads only the tables that have rows; a save may write one (the input kept) before it draws.
    application = _application(request.user, pk, whole=False, marked=request.method != "POST")
    if request.method != "POST":
        snapshot.read_whole(application)
    build = PARTS[part][0]
    editable = permissions.can_edit_in_scope(request.user, application.consortium)[0]
    pending_parts = None
    lock_version = application.lock_version
    status = 200

    if request.method == "POST":
        if not editable:
            messages.error(request, "申请书已提交，在退回修改前不能编辑。")
            return redirect("applications:edit", pk=pk, part=part)
        forms = build(application, request.POST, request.FILES)
        lock_version = editing.version(request.POST)
        try:
            written, status = editing.save_draft(
                request, forms, save=lambda loaded: _save_part(request, application, part, forms, loaded),
                keep=lambda typed: services.keep_draft_input(application.pk, part, request.user, typed),
                saved=f"“{Part(part).label}”已暂存。", then="提交",
            )
        except ValidationError as error:
            if part == Part.CHARTER:
                forms["form"].add_error("agreement_scan", error)
                messages.warning(request, "章程正文已暂存，但扫描件未能上传，请按提示改正后重新选择文件。")
            else:
                messages.error(request, "；".join(error.messages))
        else:
            if written:
                return redirect(_next_url(request, pk, part))
    else:
        pending_parts = selectors.pending_parts(application)
        draft = application.draft_inputs.filter(part=part).first() if part in pending_parts else None
        forms, loaded = editing.reopen(request, lambda data: build(application, data), stashed=take_stashed_post(request),
                                       kept=draft and draft.data)
        lock_version = loaded if loaded is not None else lock_version

    context = _editor_context(request, application, part, pending_parts=pending_parts, forms=forms, lock_version=lock_version,
                              **forms)
    return render(request, f"applications/edit/{part}.html", context, status=status)


def _save_part(request, application, part, forms, loaded):
    """A part's valid input; the 组建协议's scan goes with its part."""
    data_of = PARTS[part][1]
    services.save_part(application.pk, part, request.user, loaded, data_of(forms), request=request)
    if part == Part.CHARTER and request.FILES.get("agreement_scan"):
        services.add_attachment(application.pk, request.user, unit=application.consortium.lead_unit,
                                kind=AttachmentKind.FORMATION_AGREEMENT, title=AttachmentKind.FORMATION_AGREEMENT.label,
                                uploaded=request.FILES["agreement_scan"], request=request)


def _next_url(request, pk, part):
    if "save_next" in request.POST:
        order = [p for p, _ in EDITOR_PARTS]
        following = order[order.index(part) + 1] if order.index(part) + 1 < len(order) else None
        if following:
            return reverse("applications:attachments" if following == Part.ATTACHMENTS else "applications:edit",
                           args=[pk] if following == Part.ATTACHMENTS else [pk, following])
        return reverse("applications:readiness", args=[pk])
    return reverse("applications:edit", args=[pk, part])


@role_required(Role.APPLICANT)
@once_per_token
def attachments(request, pk):
    application = _application(request.user, pk)
    memberships = _members(application)
    form = AttachmentForm(memberships=memberships)
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES, memberships=memberships)
        if form.is_valid():
            try:
                services.add_attachment(
                    application.pk, request.user, unit=form.cleaned_data["unit"], kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"], uploaded=form.cleaned_data["file"], request=request,
                )
            except ValidationError as error:
                form.add_error(None if hasattr(error, "error_dict") else "file", error)  # a dict names its fields itself
            else:
                messages.success(request, "附件已上传。" + (uploads.CLEANED_NOTE if uploads.was_cleaned(form.cleaned_data["file"]) else ""))
                return redirect("applications:attachments", pk=pk)
    content = snapshot.build(application)
    declared = {m.unit_id: m.unit_name for m in memberships}
    context = _editor_context(
        request, application, Part.ATTACHMENTS, form=form, lock_version=application.lock_version,
        required=readiness.required_attachments(content), missing=readiness.missing_attachments(content),
        attachments=[(a, declared.get(a.unit_id, a.unit.name if a.unit else "")) for a in application.consortium.attachments.all()],
        upload_limit_mb=settings.UPLOAD_MAX_BYTES // 1024 // 1024,
    )
    return render(request, "applications/edit/attachments.html", context)


@require_POST
@role_required(Role.APPLICANT)
def remove_attachment(request, pk, attachment_id):
    application = _application(request.user, pk)
    try:
        services.remove_attachment(application.pk, request.user, attachment_id, request=request)
    except ObjectDoesNotExist:  # not this application's attachment
        raise Http404("没有找到该附件。") from None
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "附件已删除。")
    return redirect("applications:attachments", pk=pk)


@role_required(*REVIEWERS)
def download_attachment(request, attachment_id):
    """The live attachment, to the lead while it edits; reviewers open the files of a frozen version."""
    attachment = selectors.attachment_for(request.user, attachment_id)
    if attachment is None:
        raise Http404("没有找到该附件。")
    return file_response(request, attachment.file, attachment.original_name, attachment.content_type,
                         target=f"创新联合体 {attachment.consortium_id} 附件 {attachment.pk}")


@role_required(*REVIEWERS)
def version_attachment(request, pk, number, attachment_id):
    """An attachment as a frozen version recorded it: the same file by its SHA-256, even if since removed."""
    application = _application(request.user, pk)
    version = application.versions.filter(number=number).first()
    if version is None:
        raise Http404("没有找到该版本。")
    found = attachment_files.frozen_file(version, attachment_id)
    if found is None:
        raise Http404("该附件的文件已不在服务器上，或与提交时登记的摘要不一致。")
    return file_response(request, found, found.original_name, found.content_type,
                         target=f"创新联合体 {pk} 第 {number} 版附件 {attachment_id}")


def file_response(request, file, name, content_type, *, target):
    """A protected file (a FieldFile, or a frozen one) as a download, its download recorded."""
    response = protected_file_response(file, filename=name, content_type=content_type)
    audit.record(accounts_actions.ATTACHMENT_DOWNLOAD, request=request, target=target, detail=name)
    return response


@role_required(Role.APPLICANT)
def readiness_page(request, pk):
    application = _application(request.user, pk)
    return render(request, "applications/readiness.html", _readiness_context(request, application))


def _readiness_context(request, application, statement_form=None):
    checks = readiness.run(application)
    return _editor_context(
        request, application, "readiness", checks=checks, all_ok=all(c.ok for c in checks),
        needs_statement=readiness.needs_statement(checks),
        statement_form=statement_form or statement_forms(application)["form"],
    )


@require_POST
@role_required(Role.APPLICANT)
def statement(request, pk):
    """情况说明 for a 原则上 shortfall, written on the 形式审查 page."""
    application = _application(request.user, pk)
    forms = statement_forms(application, request.POST)
    if editing.validate(forms):
        try:
            services.save_part(application.pk, Part.STATEMENT, request.user, editing.version(request.POST),
                               statement_data(forms), request=request)
        except services.StaleEdit as stale:
            messages.error(request, str(stale))
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, "情况说明已保存。")
            return redirect("applications:readiness", pk=pk)
    return render(request, "applications/readiness.html", _readiness_context(request, application, forms["form"]))


@require_POST
@role_required(Role.APPLICANT)
def submit(request, pk):
    application = _application(request.user, pk)
    try:
        version = services.submit_application(application.pk, request.user, request=request)
    except workflow.TransitionError as error:
        messages.error(request, "形式审查未通过，不能提交：" + "；".join(error.reasons or [error.message]))
        return redirect("applications:readiness", pk=pk)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("applications:readiness", pk=pk)
    except PermissionDenied:
        raise Http404("没有找到该申请。") from None
    messages.success(request, f"申请书已提交（第 {version.number} 版），等待所在辖市区科技部门初审。提交后不能再修改，如被退回可修改后重新提交。")
    return redirect("applications:detail", pk=application.consortium_id)


@role_required(*REVIEWERS)
def versions(request, pk):
    application = _application(request.user, pk)
    all_versions = list(application.versions.all())  # newest first
    history = []
    for newer, older in zip(all_versions, all_versions[1:] + [None]):
        history.append((newer, older, diff.compare(older.content, newer.content) if older else None))
    return render(request, "applications/versions.html", {
        "application": application, "consortium": application.consortium, "history": history,
    })
