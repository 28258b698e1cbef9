import re

from django import forms, template
from django.forms.formsets import INITIAL_FORM_COUNT, MAX_NUM_FORM_COUNT, MIN_NUM_FORM_COUNT, TOTAL_FORM_COUNT
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from accounts.listing import link_to
from applications import links, workflow
from applications.choices import (
    AttachmentKind,
    MemberRole,
    PlatformLevel,
    ProjectLevel,
    Qualification,
    UnitKind,
)
from applications.dossier.presenters import organisation as organisation_of
from operations import clock
from operations.forms import draw, draw_choices, errors_of, write_input
from operations.text import chinese_date, csrf_input, escape

register = template.Library()

@register.simple_tag
def status_badge(status):
    return links.status_badge(status)


@register.simple_tag
def consortium_flags(consortia):
    """{pk: [labels]} of what later stages flag in a list of consortia (e.g. an overdue annual report):
    ``{% consortium_flags consortia as flags %}`` then ``{% for flag in flags|get:c.pk %}``."""
    return links.flags_for(consortia)


@register.filter
def control(field, extra=""):
    """Render a bound field's widget with Bootstrap classes, marked invalid when it has errors."""
    widget = field.field.widget
    if isinstance(widget, forms.Select):
        css = "form-select form-select-sm"
    elif getattr(widget, "input_type", "") == "checkbox":
        css = "form-check-input"
    else:
        css = "form-control form-control-sm"
    if errors_of(field):
        css += " is-invalid"
    return draw(field, {"class": f"{css} {extra}".strip()})


@register.filter
def cell(field):
    """A form field in a table or a row of many (``{{ row.unit_name|cell }}``): its widget (control) and its errors,
    written here rather than through a template included once per field (an editor page has some seventy)."""
    errors = "".join(format_html('<div class="invalid-feedback d-block">{}</div>', error) for error in errors_of(field))
    return SafeString(f"{control(field)}{errors}\n")


@register.filter
def management_form(formset):
    """``{{ formset|management_form }}``: the formset's management form as ``{{ formset.management_form }}`` draws it —
    its four hidden inputs, written by operations.forms.draw instead of through Django's form template (a millisecond a
    formset on the editor's pages) — or, if it has errors (a page whose form was tampered with), as Django draws it."""
    if not formset.is_bound and isinstance(formset.auto_id, str) and "%s" in formset.auto_id \
            and getattr(formset.renderer, "writes_plain_widgets", False):
        # A page drawn anew: the four counts, written without building the form that only carries them.
        counts = ((TOTAL_FORM_COUNT, formset.total_form_count()), (INITIAL_FORM_COUNT, formset.initial_form_count()),
                  (MIN_NUM_FORM_COUNT, formset.min_num), (MAX_NUM_FORM_COUNT, formset.max_num))
        names = [(f"{formset.prefix}-{key}", value) for key, value in counts]
        return mark_safe("".join(write_input({"type": "hidden", "name": name, "value": str(value), "attrs": {"id": formset.auto_id % name}})
                                 for name, value in names))  # each input escaped by write_input
    form = formset.management_form
    if form.is_bound and form.errors:
        return str(form)
    return mark_safe("".join(draw(field) for field in form.hidden_fields()))  # each input escaped by draw


# The member table's cells, in the order of the 申请书's table: (field, label, the column's opening tag).
MEMBER_CELLS = (
    ("unit_name", "单位名称", '<div class="col-md-5">'),
    ("credit_code", "统一社会信用代码", '<div class="col-md-4">'),
    ("unit_kind", "单位类型", '<div class="col-md-3">'),
    ("task_division", "任务分工", '<div class="col-md-4">'),
    ("duties", "工作职责", '<div class="col-md-4">'),
    ("sales_revenue", "近一年销售收入（万元）", '<div class="col-md-2" data-enterprise-only>'),
    ("rd_spend", "近一年研发投入（万元）", '<div class="col-md-2" data-enterprise-only>'),
)
# 附件材料 2 and 3 are asked of the 申请书's units only (a member change stores neither).
PROOF_CELLS = (("patent_count", "有效专利（项）", '<div class="col-md-2">'),
               ("invention_patent_count", "其中发明专利（项）", '<div class="col-md-2">'))
QUALIFICATIONS_LEGEND = "单位资质（可多选，企业填写；所选资质须在“附件材料”上传证明文件）"


@register.simple_tag
def member_row(row, number="", proofs=False, warnings=None):
    """One member unit of the 申请书's member table or of a member change (``{% member_row row 2 proofs=True
    warnings=member_warnings %}``; the empty row of the page's <template> has no number): its fields, errors beside
    them, and the warnings about its credit code. Written here rather than in a template included once per row, which
    was half of the member editor's time; tests/applications/test_editor_in_python.py holds it to the template it replaced."""
    out = [
        '<div class="member-row border rounded p-2 mb-2 bg-white" data-row>\n'
        '  <div class="d-flex justify-content-between align-items-center mb-1">\n'
        f'    <strong class="small">序号 <span data-row-number>{escape(number)}</span></strong>\n'
        f'    <span>{_bound(row, "membership")}<span class="d-none">{_bound(row, "DELETE")}</span>\n'
        '      <button type="button" class="btn btn-sm btn-outline-danger" data-remove-row>删除此行</button></span>\n'
        "  </div>\n"
    ]
    errors = row.non_field_errors()
    if errors:
        out.append(f'  <div class="text-danger small">{"；".join(escape(error) for error in errors)}</div>\n')
    out.append('  <div class="row g-2">\n')
    for name, label, opening in MEMBER_CELLS + (PROOF_CELLS if proofs else ()):
        field = row[name]
        out.append(f'    {opening}<label class="form-label small mb-0" for="{escape(field.id_for_label)}">{label}</label>{cell(field)}')
        if name == "credit_code" and warnings:
            out.extend(f'<div class="form-text text-warning-emphasis" data-warning>⚠ {escape(warning)}</div>'
                       for warning in warnings.get(field.value()) or ())
        out.append("</div>\n")
    if proofs:
        field = row["qualifications"]
        out.append(f'    <fieldset class="col-md-8 member-qualifications" data-enterprise-choices><legend class="form-label small mb-0">'
                   f"{QUALIFICATIONS_LEGEND}</legend>\n")
        out.extend(f'<div class="form-check form-check-inline small">{tag}<label class="form-check-label" '
                   f'for="{escape(id_for_label)}">{escape(label)}</label></div>' for tag, id_for_label, label in draw_choices(field))
        out.extend(f'<div class="invalid-feedback d-block">{escape(error)}</div>' for error in errors_of(field))
        out.append("</fieldset>\n")
    out.append("  </div>\n</div>")
    return SafeString("".join(out))  # every value escaped above; fields and labels drawn by their widgets


# The rows to add drawn so far (empty_member_row, empty_table_row), by formset class, prefix, ids, renderer, how the row
# is drawn and what its forms are given.
_EMPTY_ROWS = {}


def _empty_row(formset, how, drawing):
    """``drawing(formset.empty_form)`` — the row a page's <template> holds for adding one — drawn once per process: a
    formset's empty form is the same on every page for the same class, prefix and plain form_kwargs (the seats' body),
    and a new one was built and drawn on each page (0.25 of the member editor's 3 ms, in process). ``how``: what else
    the drawing depends on. A formset given other form_kwargs (an object, a dict of initial values) has its row drawn
    each time. Only for forms whose empty row holds nothing read from the database or the clock (the member row and
    the 申请书's tables: fixed choices, fixed initial values)."""
    given = formset.form_kwargs
    if not all(isinstance(value, (str, int, bool, type(None))) for value in given.values()):
        return drawing(formset.empty_form)
    key = (type(formset), formset.prefix, formset.auto_id, type(formset.renderer), how, tuple(sorted(given.items())))
    html = _EMPTY_ROWS.get(key)
    if html is None:
        html = _EMPTY_ROWS[key] = drawing(formset.empty_form)
    return html


@register.simple_tag
def empty_member_row(formset, proofs=False):
    """``{% member_row formset.empty_form %}``, the member table's row to add (添加成员单位), drawn once per process."""
    return _empty_row(formset, ("member", proofs), lambda form: member_row(form, proofs=proofs))


@register.simple_tag
def empty_table_row(formset, columns):
    """The row to add of a formset drawn as a table (applications/edit/_table.html, ``columns``: [(field, heading)]):
    applications/edit/_empty_row.html, drawn once per process for each formset and columns."""
    return _empty_row(formset, ("table", tuple(map(tuple, columns))), lambda form: mark_safe(render_to_string(
        "applications/edit/_empty_row.html", {"empty": form, "columns": columns}).strip()))  # drawn by the template


@register.simple_tag
def editor_nav(consortium, part, parts, completeness, pending_parts):
    """The 申请书 editor's list of parts beside every part's page: each part's link, how complete it is, whether it holds
    input kept but not yet valid; then 形式审查与提交. Written here rather than in the template, where its loop of links
    and look-ups was a tenth of the editor's time (tests/applications/test_editor_in_python.py holds it to that template)."""
    edit_url = reverse("applications:edit", args=[consortium.pk, "part"])  # the part's name replaces its last segment
    out = ['<div class="list-group editor-nav sticky-top">\n']
    for number, (key, label) in enumerate(parts, start=1):
        url = reverse("applications:attachments", args=[consortium.pk]) if key == "attachments" else edit_url.replace("/part/", f"/{key}/")
        percent = escape(completeness.get(key))
        out.append(
            f'<a class="list-group-item list-group-item-action{" active" if key == part else ""}" href="{escape(url)}">\n'
            f'<div class="d-flex justify-content-between"><span>{number}. {escape(label)}</span><span class="small">{percent}%</span></div>\n'
            f'<progress class="part-progress{" is-complete" if completeness.get(key) == 100 else ""}" max="100" value="{percent}" '
            f'aria-label="{escape(label)}完成度">{percent}%</progress>\n'
            + ('<div class="small text-warning-emphasis mt-1">有暂存但未通过校验的内容</div>\n' if key in pending_parts else "")
            + "</a>\n")
    out.append(f'<a class="list-group-item list-group-item-action{" active" if part == "readiness" else ""}" '
               f'href="{escape(reverse("applications:readiness", args=[consortium.pk]))}"><strong>形式审查与提交</strong></a>\n</div>')
    return mark_safe("".join(out))  # every value escaped above


# A check's badge on the review page, by its state (applications.readiness.Check.state).
CHECK_BADGES = {
    "pass": '<span class="badge text-bg-success align-self-start">通过</span>',
    "not_asked": '<span class="badge text-bg-secondary align-self-start">未填报</span>',
    "explained": '<span class="badge text-bg-warning align-self-start">已说明</span>',
    "fail": '<span class="badge text-bg-danger align-self-start">未通过</span>',
}


@register.simple_tag
def check_list(checks):
    """The review page's 形式审查 of a version (``{% check_list checks %}``): each check's badge, title and reasons.
    Written here rather than in a template loop of some twenty checks with their look-ups (a tenth of the review page);
    tests/reviews/test_check_list.py holds it to the template it replaced."""
    out = []
    for check in checks:
        state = check.state
        css = "text-warning-emphasis" if state == "explained" else "text-danger"
        out.append(
            f'<li class="list-group-item small d-flex gap-2" data-check="{escape(state)}">\n        {CHECK_BADGES.get(state, CHECK_BADGES["fail"])}\n'
            f"        <span>{escape(check.title)}"
            + ('<br><span class="text-muted">（本版本未填报：提交时尚无此项要求）</span>' if state == "not_asked" else "")
            + "".join(f'<br><span class="{css}">{escape(reason)}</span>' for reason in check.reasons)
            + "</span></li>")
    return mark_safe("".join(out))  # every value escaped above


@register.simple_tag(takes_context=True)
def registration_cards(context, registrations):
    """The district's registration queue (``registrations``: (registration, the memberships that already declare its
    code)): a card for each, with its warnings, details and decision form, or the card saying there are none. Written
    here rather than in a template loop (fifty cards of some forty values); tests/applications/test_registration_cards.py
    holds it to the template it replaced."""
    decide = link_to("applications:registration_decide")  # one reverse() for the page
    csrf = csrf_input(context)
    out = []
    for registration, listed in registrations:
        pk, applicant = registration.pk, registration.applicant
        out.append(
            '\n<div class="card mb-3">\n'
            f'  <div class="card-header d-flex justify-content-between"><span>{escape(registration.name)}</span><span class="small text-muted">'
            f"提交于 {clock.localtime(registration.created_at):%Y-%m-%d %H:%M}</span></div>\n"
            '  <div class="card-body">\n    ')
        if listed:
            declared = "".join(f"<li>{escape(m.consortium.name)}：申报为“{escape(m.unit_name)}”（{escape(m.get_unit_kind_display())}）</li>"
                               for m in listed)
            out.append(
                '\n    <div class="alert alert-warning small" data-flag="listed-code">\n'
                f"      <strong>请注意：</strong>该统一社会信用代码已被 {len(listed)} 个创新联合体列为成员单位。通过后，注册信息将成为该单位的登记信息；"
                "各联合体申报的名称、类型与注册信息不一致之处将提示审查人员。\n"
                f'      <ul class="mb-0 mt-1">{declared}</ul>\n'
                "    </div>\n    ")
        out.append("\n    ")
        region = registration.region_flag
        if region:
            out.append(f'\n    <div class="alert alert-warning small" data-flag="region"><strong>请核实注册地：</strong>{escape(region)}</div>\n    ')
        legal = {True: "是（申报单位声明）", None: "注册时未询问", False: "否"}[registration.is_legal_person]
        out.append(
            '\n    <dl class="row mb-2 small">\n'
            f'      <dt class="col-sm-2">统一社会信用代码</dt><dd class="col-sm-4 font-monospace">{escape(registration.credit_code)}</dd>\n'
            f'      <dt class="col-sm-2">法定代表人</dt><dd class="col-sm-4">{escape(registration.legal_representative)}</dd>\n'
            f'      <dt class="col-sm-2">独立法人</dt><dd class="col-sm-4" data-legal-person>{legal}</dd>\n'
            f'      <dt class="col-sm-2">通讯地址</dt><dd class="col-sm-4">{escape(registration.address)}</dd>\n'
            f'      <dt class="col-sm-2">联系人</dt><dd class="col-sm-10">{escape(applicant.full_name)} · {escape(applicant.phone)} · '
            f"{escape(applicant.email)}</dd>\n"
            "    </dl>\n"
            f'    <form method="post" action="{escape(decide({"pk": pk}))}" class="row g-2 align-items-end">{csrf}\n'
            f'      <div class="col-md-8"><label class="form-label small" for="reason-{pk}">审核意见（不予通过时必填）</label>\n'
            f'        <input class="form-control" id="reason-{pk}" name="reason" maxlength="500"></div>\n'
            '      <div class="col-md-4 d-flex gap-2">\n'
            '        <button class="btn btn-success" name="decision" value="approve" type="submit">通过</button>\n'
            '        <button class="btn btn-outline-danger" name="decision" value="reject" type="submit">不予通过</button>\n'
            "      </div>\n"
            "    </form>\n"
            "  </div>\n"
            "</div>\n")
    if not out:
        out.append('\n<div class="card"><div class="empty-state">暂无待审核的单位注册</div></div>\n')
    return mark_safe("".join(out))  # every value escaped above


def _bound(form, name):
    """A field of the form drawn as {{ form.name }} draws it (by draw(), when no hidden initial goes with it), or
    nothing if the form has no such field (a formset that cannot delete has no DELETE)."""
    if name not in form.fields:
        return ""
    field = form[name]
    return str(field) if field.field.show_hidden_initial else draw(field)


# A space the web pages put between Chinese and digits ("连续 2 次"), which a justified printed line would stretch.
_SPACE_BESIDE_CHINESE = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) +| +(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


@register.filter
def printed(text):
    """Text as a printed notice sets it: no spaces beside Chinese characters (GB/T 9704 sets none)."""
    return _SPACE_BESIDE_CHINESE.sub("", text or "")


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def fieldnamed(form, name):
    return form[name]


@register.filter(name="chinese_date")
def chinese_date_filter(value):
    """{{ day|chinese_date }}: 2026年12月20日 (operations.text.chinese_date, the one formatter)."""
    return chinese_date(value)


@register.filter
def action_label(action):
    return workflow.label(action)


CHOICE_SETS = {
    "unit_kind": UnitKind, "platform_level": PlatformLevel, "project_level": ProjectLevel,
    "qualification": Qualification, "member_role": MemberRole, "attachment_kind": AttachmentKind,
}


@register.filter
def choice(value, name):
    """The label of a stored choice value (or of each value of a list), e.g. {{ m.unit.kind|choice:"unit_kind" }}."""
    labels = dict(CHOICE_SETS[name].choices)
    if isinstance(value, list):
        return "、".join(str(labels.get(v, v)) for v in value)
    return labels.get(value, "" if value is None else value)


@register.simple_tag
def organisation(content):
    """The 组建协议, its signatures, the organs and the 首席专家 of a snapshot (dossier.presenters.organisation), for
    ``{% organisation content as org %}``; a 授权书 is named by its row in the page's 附件材料 table."""
    return organisation_of(content, {a.get("id"): n for n, a in enumerate(content.get("attachments", []), start=1)})


@register.filter
def blank(value):
    """Empty values show as nothing, never "None"."""
    return "" if value is None else value
