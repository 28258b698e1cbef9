from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts.listing import link_to
from applications import links
from applications.templatetags.portal import cell
from evaluations import permissions
from evaluations.choices import Grade, ReportStanding
from evaluations.liaison import selectors as liaison_selectors
from operations.text import escape

register = template.Library()

GRADE_CLASS = {Grade.EXCELLENT: "text-bg-success", Grade.QUALIFIED: "text-bg-primary", Grade.UNQUALIFIED: "text-bg-danger"}
STANDING_CLASS = {
    ReportStanding.NOT_STARTED: "text-bg-light border", ReportStanding.DRAFT: "text-bg-info",
    ReportStanding.SUBMITTED: "text-bg-success", ReportStanding.SUBMITTED_LATE: "text-bg-warning",
    ReportStanding.OVERDUE: "text-bg-danger",
}


@register.simple_tag
def grade_badge(grade):
    """A grade as every page shows it (``{% grade_badge e.grade %}``): drawn once per grade."""
    return _GRADE_BADGES[grade] if grade else ""


_GRADE_BADGES = {grade: format_html('<span class="badge {}" data-grade="{}">{}</span>', GRADE_CLASS[grade], grade, Grade(grade).label)
                 for grade in Grade.values}


@register.simple_tag
def consortium_rows(rows, empty=""):
    """The rows of a list of consortia after 备案 (``rows``: (consortium annotated by selectors.after_filing, its overdue
    years, this year's report in words)), or the row saying there are none: written here rather than in a template loop,
    a page of fifty rows was half of the 运行管理 list's time; tests/evaluations/test_rows_in_python.py holds it to the
    template it replaced."""
    link = link_to("evaluations:consortium")  # one reverse() for the page
    out = []
    for consortium, overdue, report in rows:
        lead = consortium.lead_unit
        flag = (f' <span class="badge text-bg-danger" data-flag>{"、".join(str(year) for year in overdue)} 年度报告逾期</span>'
                if overdue else "")
        grade = f"{consortium.latest_grade_year} {grade_badge(consortium.latest_grade)}" if consortium.latest_grade else ""
        pending = ("<div>成员变更</div>" if consortium.member_change_pending else "") + (
            "<div>解散申请</div>" if consortium.dissolution_pending else "")
        out.append(
            f'<tr data-consortium="{consortium.pk}">\n'
            f'    <td><a href="{escape(link({"pk": consortium.pk}))}">{escape(consortium.name)}</a>{flag}'
            f'<div class="small text-muted">{escape(consortium.record_number)}</div></td>\n'
            f'    <td class="small">{escape(lead.name)}<div class="text-muted">{escape(lead.bureau.district if lead.bureau else "")}</div></td>\n'
            f'    <td>{links.status_badge(consortium.status)}</td><td class="small">{escape(report)}</td>\n'
            f"    <td>{grade}</td>\n"
            f'    <td class="small">{escape(consortium.liaison_name or "")}</td>\n'
            f'    <td class="small">{pending}</td></tr>\n  ')
    if not out:
        out.append(f'<tr><td colspan="7" class="empty-state">{escape(empty or "没有符合条件的创新联合体")}</td></tr>')
    return mark_safe("".join(out))  # every value escaped above


@register.simple_tag
def recommended_rows(consortia, is_staff):
    """The rows of the consortia to recommend (grading.selectors.recommended, with their grade history), or the row
    saying there are none: written here rather than in a template loop (two links and the grades of each row);
    tests/evaluations/test_rows_in_python.py holds it to the template it replaced."""
    page, recommend = link_to("evaluations:consortium"), link_to("evaluations:recommend")
    out = []
    for consortium in consortia:
        key = {"pk": consortium.pk}
        grades = "".join(f'<span class="text-nowrap me-2">{evaluation.year} {grade_badge(evaluation.grade)}</span>'
                         for evaluation in consortium.grade_history)
        decided, field = consortium.recommendation_id, consortium.industry_field
        decision = "已作出推荐决定" if decided else '<span class="text-muted">待决定</span>'
        if is_staff:
            decision += f'<div><a href="{escape(recommend(key))}">{"查看" if decided else "作出推荐决定"}</a></div>'
        out.append(
            f'<tr data-consortium="{consortium.pk}"><td><a href="{escape(page(key))}">{escape(consortium.name)}</a>'
            f'<div class="small text-muted">{escape(consortium.record_number)}</div></td>\n'
            f'    <td class="small">{escape(consortium.lead_unit.name)}</td><td class="small">{escape(field.name if field else "")}</td>\n'
            f"    <td>{grades}</td>\n"
            f'    <td class="small text-nowrap">{decision}</td></tr>\n  ')
    if not out:
        out.append('<tr><td colspan="5" class="empty-state">暂无最近一次评价为“优秀”的创新联合体</td></tr>')
    return mark_safe("".join(out))  # every value escaped above


@register.simple_tag
def standing_badge(standing):
    return format_html('<span class="badge {}" data-standing="{}">{}</span>', STANDING_CLASS.get(standing, "text-bg-secondary"),
                       standing, ReportStanding(standing).label)


@register.filter
def signed(value):
    """A change as printed: +3, -1.50, 0; nothing when there is nothing to compare."""
    if value is None or value == "":
        return ""
    text = str(value)
    return text if text.startswith(("-", "+")) or text in ("0", "0.00") else f"+{text}"


@register.filter
def blank_dash(value):
    return "—" if value is None or value == "" else value


@register.simple_tag
def member_table(members, is_staff):
    """The rows of the consortium page's table of members: number, name (牵头 for the lead; for the staff a link to the
    unit), credit code, kind, task. Written here rather than in a template loop reversing a link per row;
    tests/evaluations/test_drawn_in_python.py holds it to that loop."""
    unit_url = reverse("evaluations:unit", args=[_PLACEHOLDER])
    out = []
    for number, member in enumerate(members, start=1):
        lead = ' <span class="badge text-bg-primary">牵头</span>' if member.role == "lead" else ""
        link = (f' <a class="small text-nowrap" href="{escape(unit_url.replace(str(_PLACEHOLDER), str(member.unit_id), 1))}">单位</a>'
                if is_staff else "")
        out.append(f"<tr><td>{number}</td><td>{escape(member.unit_name)}{lead}{link}</td>\n"
                   f'<td class="font-monospace small">{escape(member.unit.credit_code)}</td><td>{escape(member.get_unit_kind_display())}</td>'
                   f'<td class="small">{escape(member.task_division)}</td></tr>')
    return mark_safe("".join(out))  # every value escaped above


_PLACEHOLDER = 2718281828


@register.simple_tag
def figure_rows(groups):
    """The annual report's table of figures: for each group (类别) its rows — the figure's label, last year's value, the
    field, the change. Written here rather than in a loop of the template, a quarter of the report editor's time;
    tests/evaluations/test_drawn_in_python.py holds it to that loop."""
    out = []
    for group, rows in groups:
        for number, (field, previous, change) in enumerate(rows):
            name = escape(field.html_name)
            shown = localize(blank_dash(previous))
            out.append(
                "<tr>" + (f'<th rowspan="{len(rows)}" class="align-top">{escape(group)}</th>' if number == 0 else "")
                + f'<td><label class="form-label small mb-0" for="{escape(field.id_for_label)}">{escape(field.label)}</label></td>'
                f'<td class="text-end text-muted" data-previous-of="{name}" data-value="{escape(localize("" if previous is None else previous))}">'
                f'{escape(shown)}</td><td>{cell(field)}</td><td class="text-end" data-change-of="{name}">{escape(signed(change))}</td></tr>\n')
    return mark_safe("".join(out))  # every value escaped above; the fields drawn by their widgets


@register.inclusion_tag("evaluations/_liaison_opinion.html", takes_context=True)
def liaison_opinion_box(context, consortium, about, subject_id, closed=None):
    """The 科技联络员's opinion on a member change, a dissolution request or a year's evaluation: shown to the staff who
    decide it, asked of the current liaison (never required) while the matter is open; nothing for applicants."""
    user = context["request"].user
    opinions = liaison_selectors.opinions_on(user, consortium, about, subject_id)
    may_write = not closed and consortium.status == "filed" and permissions.is_current_liaison(user, consortium)
    mine = next((o for o in opinions if o.officer_id == user.pk), None)
    return {"consortium": consortium, "about": about, "subject_id": subject_id, "opinions": opinions, "may_write": may_write,
            "mine": mine, "shown": bool(opinions) or may_write, "next": context["request"].get_full_path(),
            "csrf_token": context.get("csrf_token")}
