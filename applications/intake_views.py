"""The applicant's editor for the 申请书: one page per part, 暂存 at any time, readiness check, submit."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.permissions import role_required, stash_key
from accounts.roles import Role
from operations.files import protected_file_response

from . import diff, readiness, selectors, services, snapshot
from .choices import EDITABLE_STATUSES, MemberRole, Part
from .forms import (
    AttachmentForm,
    BasicInfoForm,
    CharterForm,
    IntroForm,
    LeadRowForm,
    MemberFormSet,
    PlanForm,
    PlatformFormSet,
    ProjectFormSet,
    TargetFormSet,
)
from .models import Attachment

REVIEWERS = (Role.APPLICANT, Role.DISTRICT_REVIEWER, Role.MUNICIPAL_STAFF)
TABLE_COLUMNS = {
    "platform_columns": [("name", "平台名称"), ("industry", "产业领域"), ("level", "级别"), ("host_unit", "依托单位"), ("built_on", "建设时间")],
    "project_columns": [("name", "项目名称"), ("industry", "产业领域"), ("level", "级别"), ("starts_on", "实施期起"),
                        ("ends_on", "实施期止"), ("undertaker", "承担单位")],
    "target_columns": [("year", "年度"), ("tasks", "建设任务"), ("research_plan", "研发项目计划"), ("team_building", "团队建设"),
                       ("rd_investment", "研发经费投入（万元）")],
}


# --- The parts: how each builds its forms and what it writes -------------------------------


def _members(application):
    return [m for m in application.consortium.memberships.all() if m.left_on is None]


def basic_forms(application, data=None, files=None):
    consortium = application.consortium
    initial = {field: getattr(application, field) for field in BasicInfoForm.base_fields if hasattr(application, field)}
    initial.update(name=consortium.name, industry_field=consortium.industry_field_id,
                   chief_scientist=consortium.chief_scientist, chief_scientist_title=consortium.chief_scientist_title)
    return {"form": BasicInfoForm(data, initial=initial)}


def basic_writer(forms):
    return services.basic_writer(forms["form"].cleaned_data)


def members_forms(application, data=None, files=None):
    members = _members(application)
    lead = next(m for m in members if m.role == MemberRole.LEAD)
    rows = [
        {"membership": m.pk, "unit_name": m.unit.name, "credit_code": m.unit.credit_code, "unit_kind": m.unit.kind,
         "task_division": m.task_division, "duties": m.duties, "sales_revenue": m.sales_revenue, "rd_spend": m.rd_spend}
        for m in members if m.role == MemberRole.MEMBER
    ]
    lead_initial = {f: getattr(lead, f) for f in LeadRowForm.base_fields}
    return {
        "lead_membership": lead,
        "lead": LeadRowForm(data, prefix="lead", initial=lead_initial),
        "formset": MemberFormSet(data, prefix="members", initial=rows, lead_unit=lead.unit),
    }


def _rows(formset):
    return [
        {k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "membership")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def members_writer(forms):
    return services.members_writer(forms["lead"].cleaned_data, _rows(forms["formset"]))


def foundation_forms(application, data=None, files=None):
    def rows(queryset, fields):
        return [{f: getattr(obj, f) for f in fields} for obj in queryset]

    return {
        "platforms": PlatformFormSet(data, prefix="platforms", initial=rows(application.platforms.all(), PlatformFormSet.form.base_fields)),
        "projects": ProjectFormSet(data, prefix="projects", initial=rows(application.projects.all(), ProjectFormSet.form.base_fields)),
    }


def foundation_writer(forms):
    return services.foundation_writer(_rows(forms["platforms"]), _rows(forms["projects"]))


def plan_forms(application, data=None, files=None):
    targets = [{f: getattr(t, f) for f in TargetFormSet.form.base_fields} for t in application.targets.all()]
    return {
        "form": PlanForm(data, initial={f: getattr(application, f) for f in PlanForm.base_fields}),
        "targets": TargetFormSet(data, prefix="targets", initial=targets),
    }


def plan_writer(forms):
    return services.plan_writer(forms["form"].cleaned_data, _rows(forms["targets"]))


def intros_forms(application, data=None, files=None):
    return {
        "intros": [
            (m, IntroForm(data, prefix=f"intro-{m.pk}", unit_kind=m.unit.kind,
                          initial={f: getattr(m, f) for f in IntroForm.base_fields}))
            for m in _members(application)
        ]
    }


def intros_writer(forms):
    return services.intros_writer({m.pk: form.cleaned_data for m, form in forms["intros"]})


def charter_forms(application, data=None, files=None):
    return {"form": CharterForm(data, files, initial={"charter_text": application.charter_text})}


def charter_writer(forms):
    return services.charter_writer(forms["form"].cleaned_data["charter_text"])


PARTS = {
    Part.BASIC: (basic_forms, basic_writer),
    Part.MEMBERS: (members_forms, members_writer),
    Part.FOUNDATION: (foundation_forms, foundation_writer),
    Part.PLAN: (plan_forms, plan_writer),
    Part.INTROS: (intros_forms, intros_writer),
    Part.CHARTER: (charter_forms, charter_writer),
}


def _all_forms(forms):
    for value in forms.values():
        if isinstance(value, list):
            yield from (form for _, form in value)
        elif hasattr(value, "is_valid"):
            yield value


def _valid(forms):
    return all([form.is_valid() for form in _all_forms(forms)])  # a list: every form shows its errors


def _error_count(forms):
    total = 0
    for form in _all_forms(forms):
        if hasattr(form, "total_error_count"):
            total += form.total_error_count()
        else:
            total += sum(len(errors) for errors in form.errors.values())
    return total


# --- Pages ------------------------------------------------------------------------------------


def _application(user, pk):
    try:
        return selectors.application_for(user, pk)
    except selectors.NotFound:
        raise Http404("没有找到该申请。") from None


def _editor_context(application, part, **extra):
    content = snapshot.build(application)
    return {
        "application": application,
        "consortium": application.consortium,
        "part": part,
        "parts": Part.choices,
        "completeness": readiness.completeness(content),
        "editable": application.consortium.status in EDITABLE_STATUSES,
        "latest_version": application.versions.first(),
        "pending_parts": set(application.draft_inputs.values_list("part", flat=True)),
        **TABLE_COLUMNS,
        **extra,
    }


@role_required(Role.APPLICANT, keep_post=True)
def edit_part(request, pk, part):
    if part not in PARTS:
        raise Http404("没有这一部分。")
    application = _application(request.user, pk)
    build, writer = PARTS[part]
    editable = application.consortium.status in EDITABLE_STATUSES
    lock_version = application.lock_version
    status = 200

    if request.method == "POST":
        if not editable:
            messages.error(request, "申请书已提交，在退回修改前不能编辑。")
            return redirect("applications:edit", pk=pk, part=part)
        forms = build(application, request.POST, request.FILES)
        lock_version = _version(request.POST.get("lock_version"))
        if _valid(forms):
            try:
                services.save_part(application.pk, part, request.user, lock_version, writer(forms))
                if part == Part.CHARTER and request.FILES.get("agreement_scan"):
                    services.add_attachment(application.pk, request.user, unit=application.consortium.lead_unit,
                                            kind="agreement", title="组建协议（签署扫描件）",
                                            uploaded=request.FILES["agreement_scan"])
            except services.StaleEdit as stale:
                messages.error(request, str(stale))
                status = 409
            except ValidationError as error:
                if part == Part.CHARTER:
                    forms["form"].add_error("agreement_scan", error)
                    messages.warning(request, "章程正文已暂存，但扫描件未能上传，请按提示改正后重新选择文件。")
                else:
                    messages.error(request, "；".join(error.messages))
                status = 200
            else:
                messages.success(request, f"“{Part(part).label}”已暂存。")
                return redirect(_next_url(request, pk, part))
        else:
            data = {key: request.POST.getlist(key) for key in request.POST if key != "csrfmiddlewaretoken"}
            services.keep_draft_input(application.pk, part, request.user, data)
            messages.warning(request, f"已暂存您填写的内容，但有 {_error_count(forms)} 处需要改正（见标红处），改正并保存后才能提交。")
    else:
        stashed = request.session.pop(stash_key(request.path), None)
        draft = application.draft_inputs.filter(part=part).first()
        if stashed is not None:
            forms = build(application, _querydict(stashed))
            lock_version = _version((stashed.get("lock_version") or [lock_version])[0])
            _valid(forms)
            messages.info(request, "登录已过期，已恢复您过期前填写的内容，请核对后点击“暂存”。")
        elif draft is not None:
            forms = build(application, _querydict(draft.data))
            _valid(forms)
            messages.warning(request, "下面是上次暂存但未通过校验的内容，请改正标红处后保存。")
        else:
            forms = build(application)

    context = _editor_context(application, part, forms=forms, lock_version=lock_version, **forms)
    return render(request, f"applications/edit/{part}.html", context, status=status)


def _version(value):
    """The version the editor loaded; anything unreadable counts as stale (0), never as an error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _querydict(data):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


def _next_url(request, pk, part):
    if "save_next" in request.POST:
        order = [p for p, _ in Part.choices]
        following = order[order.index(part) + 1] if order.index(part) + 1 < len(order) else None
        if following:
            return reverse("applications:edit", args=[pk, following])
        return reverse("applications:readiness", args=[pk])
    return reverse("applications:edit", args=[pk, part])


@role_required(Role.APPLICANT, keep_post=True)
def attachments(request, pk):
    application = _application(request.user, pk)
    units = [m.unit for m in _members(application)]
    form = AttachmentForm(units=units)
    status = 200
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES, units=units)
        if form.is_valid():
            try:
                services.add_attachment(
                    application.pk, request.user, unit=form.cleaned_data["unit"], kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"], uploaded=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error("unit" if hasattr(error, "error_dict") else "file", error)
            else:
                messages.success(request, "附件已上传。")
                return redirect("applications:attachments", pk=pk)
    content = snapshot.build(application)
    context = _editor_context(
        application, Part.ATTACHMENTS, form=form, lock_version=application.lock_version,
        required=readiness.required_attachments(content), missing=readiness.missing_attachments(content),
        attachments=list(application.consortium.attachments.all()),
        upload_limit_mb=settings.UPLOAD_MAX_BYTES // 1024 // 1024,
    )
    return render(request, "applications/edit/attachments.html", context, status=status)


@require_POST
@role_required(Role.APPLICANT)
def remove_attachment(request, pk, attachment_id):
    application = _application(request.user, pk)
    try:
        services.remove_attachment(application.pk, request.user, attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("没有找到该附件。") from None
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "附件已删除。")
    return redirect("applications:attachments", pk=pk)


@role_required(*REVIEWERS)
def download_attachment(request, attachment_id):
    attachment = selectors.attachment_for(request.user, attachment_id)
    if attachment is None:
        raise Http404("没有找到该附件。")
    return protected_file_response(attachment.file, filename=attachment.original_name, content_type=attachment.content_type)


@role_required(Role.APPLICANT)
def readiness_page(request, pk):
    application = _application(request.user, pk)
    checks = readiness.run(application)
    return render(request, "applications/readiness.html", _editor_context(
        application, "readiness", checks=checks, all_ok=all(c.ok for c in checks),
    ))


@require_POST
@role_required(Role.APPLICANT)
def submit(request, pk):
    application = _application(request.user, pk)
    try:
        version = services.submit_application(application.pk, request.user, request=request)
    except ValidationError as error:
        messages.error(request, "".join(error.messages[:1]) + "、".join(error.messages[1:]))
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
