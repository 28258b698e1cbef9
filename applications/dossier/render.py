"""The printed dossier: one 申请书 snapshot in, the bound A4 PDF out.

    source ─▶ fonts checked ─▶ attachments opened ─▶ HTML (templates/dossier) ─▶ WeasyPrint layout
           ─▶ attachment pages placed into their slots ─▶ (一式三份: three covered copies)
"""

import io
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from pypdf import PdfReader

from . import attachments, fonts, merge, presenters
from .errors import DossierError, FontMissing

COPY_CHOICES = (1, 3)
VERIFY_PATH = "/verify/"


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    warnings: list = field(default_factory=list)


@dataclass
class Book:
    """A laid-out book before the attachments go in; the benchmark times these steps one by one."""

    html: str
    attachments: list
    context: dict


# WeasyPrint and the text libraries under it (0.38 s to load, some 20 MB a process) are loaded by the process that
# prints — the task worker, which loads them before it forks a process per task (run_worker) — not by every web server
# and command: the two functions below import them where they are called.


def offline_url_fetcher():
    """The dossier fetches nothing: no network, no files; only inline data: URIs (the QR code). One per render."""
    from weasyprint.urls import URLFetcher  # imported here: see above

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def weasyprint_html(html):
    """WeasyPrint's document for ``html``, with the offline fetcher."""
    from weasyprint import HTML  # imported here: see above

    return HTML(string=html, url_fetcher=offline_url_fetcher())


def warm_up(**signal):
    """Print one notice (templates/notices/ready.html) and drop it: the fonts looked up (fc-list) and opened, the
    templates compiled, WeasyPrint's first layout done. The task worker does it before its first task
    (operations.workers.worker_starting), so that no notice carries it — with RQ, each task's own process did: a
    notice took 0.10–0.12 s from cold against 0.05 s after. A face not installed is left for the notice to report."""
    try:
        notice_pdf("notices/ready.html", {}, code="0000-0000")
    except FontMissing:
        pass


def css_string(text):
    """A CSS string literal for a value from settings or data (the template is not HTML-escaped there)."""
    cleaned = "".join(ch for ch in str(text) if ch not in '"\\<>\n\r')
    return mark_safe(f'"{cleaned}"')


def document_pdf(template, context):
    """A short printed document (a notice, an opinion, an annual report) as PDF bytes: the dossier's fonts,
    checked first (FontMissing when no CJK font is installed), and its offline layout."""
    fonts.ensure_cjk_fonts()
    html = render_to_string(template, {
        **context,
        "body_font": css_string(settings.DOSSIER_BODY_FONT),
        "heading_font": css_string(settings.DOSSIER_HEADING_FONT),
    })
    return weasyprint_html(html).write_pdf()


def notice_pdf(template, context, *, code="", draft=False):
    """A one-page notice of the bureau (templates/notices/base.html, after GB/T 9704) as PDF bytes: its own faces
    (NOTICE_TITLE_FONT, NOTICE_BODY_FONT; FontMissing when none is installed), the line saying where its ``code``
    verifies, and for a ``draft`` the 未定稿 mark instead of a code."""
    chosen = fonts.notice_faces()
    html = render_to_string(template, {
        **context,
        "code": "" if draft else code,
        "draft": draft,
        "notice_css": {
            "title_font": css_string(chosen.title.family), "title_weight": "bold" if chosen.title.bold else "normal",
            "body_font": css_string(chosen.body.family), "body_weight": "bold" if chosen.body.bold else "normal",
            "footer": css_string("未定稿 · 无验证码" if draft else f"验证码 {code} · 核验网址 {verify_url('', '')}" if code else ""),
        },
    })
    return weasyprint_html(html).write_pdf()


def verify_url(site_url, code):
    return f"{(site_url or settings.SITE_URL or '').rstrip('/')}{VERIFY_PATH}{code}"


def footer_text(source):
    if source.is_draft:
        return "草稿 · 未提交，无验证码"
    return f"验证码 {source.code} · 镇江市创新联合体备案与管理平台核验"


def prepare_book(source, *, site_url=""):
    fonts.ensure_cjk_fonts()
    prepared = attachments.prepare(source.content)
    context = presenters.book_context(
        source.content, dated=source.dated, code=source.code, verify_url=verify_url(site_url, source.code),
        attachments=prepared, is_draft=source.is_draft,
    )
    context["css"] = {
        "body_font": css_string(settings.DOSSIER_BODY_FONT),
        "heading_font": css_string(settings.DOSSIER_HEADING_FONT),
        "footer": css_string(footer_text(source)),
    }
    return Book(html=render_to_string("dossier/book.html", context), attachments=prepared, context=context)


def layout(html):
    return weasyprint_html(html).render()


def assemble(document, book_attachments):
    """WeasyPrint's PDF with the attachment pages in their slots."""
    return merge.place_attachments(document.write_pdf(), merge.slot_boxes(document), book_attachments)


def copy_labels(book, copies):
    context = {**book.context, "labels": [f"第{n}份" for n in range(1, copies + 1)]}
    return layout(render_to_string("dossier/copy_labels.html", context)).write_pdf()


def render_source(source, *, copies=1, site_url=""):
    """The dossier of a resolved source (see source.resolve) as PDF bytes, with its page count and warnings."""
    if copies not in COPY_CHOICES:
        raise DossierError("份数只能为 1 份或一式三份。")
    book = prepare_book(source, site_url=site_url)
    document = layout(book.html)
    pdf = assemble(document, book.attachments)
    if copies > 1:
        pdf = merge.three_copies(pdf, copy_labels(book, copies), copies)
    pages = len(document.pages) if copies == 1 else len(PdfReader(io.BytesIO(pdf)).pages)
    return RenderResult(pdf=pdf, pages=pages, warnings=[a.warning for a in book.attachments if a.failure])
