"""备案通知书: the one-page A4 notice a filed consortium downloads."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from applications.dossier import fonts
from applications.dossier.render import css_string, offline_url_fetcher


def render(consortium):
    """PDF bytes of the notice; raises the dossier's FontMissing when no CJK font is installed."""
    fonts.ensure_cjk_fonts()
    members = [m for m in consortium.memberships.select_related("unit").order_by("position") if m.left_on is None]
    html = render_to_string("reviews/notice.html", {
        "consortium": consortium,
        "members": members,
        "body_font": css_string(settings.DOSSIER_BODY_FONT),
        "heading_font": css_string(settings.DOSSIER_HEADING_FONT),
    })
    return HTML(string=html, url_fetcher=offline_url_fetcher).write_pdf()
