"""The bureau's one-page notices (备案通知书, 综合论证意见, 评价结果通知, 取消资格决定) as printed, measured from the
PDF (pdftotext per page and its word boxes): GB/T 9704-2012's 156 × 225 mm text block at 28 mm / 37 mm on an A4
page (mirrored on the back), 3号 body text, page numbers on the outer side 7 mm below the block, the 署名 and
成文日期 never alone on a page, at the shortest and the longest the forms allow; and each notice's code verifying
to that notice."""

import re
import subprocess
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.choices import Status
from applications.dossier import verification
from applications.models import Consortium, Membership, Unit
from evaluations import documents as evaluation_documents
from evaluations.models import Evaluation, Revocation
from evaluations.sanctions import services as sanction_services
from operations.text import digest
from reviews import documents, services
from reviews.models import DocumentKind, DocumentNumberSequence, FilingNotice, RoundEntry
from tests import factories, replaced_migrations
from tests.applications.dossier.helpers import MM, page_texts, word_boxes
from tests.lifecycle import Cast, cast_at, complete_application

pytestmark = pytest.mark.django_db

BLOCK_WIDTH, BLOCK_TOP, BLOCK_HEIGHT = 156, 37, 225  # mm: 版心 and 天头 (GB/T 9704-2012 §5.2.1)
BINDING, OUTER = 28, 26  # mm: 订口 and the outer margin; the back of the sheet mirrors them
CHARACTER = 16 / MM  # mm: one character of 3号 body text
SITE_URL = "https://kjj.zhenjiang.gov.cn"
LONG_OPINION = ("专家组认为，该创新联合体围绕产业链关键环节组建，牵头单位行业地位突出，成员单位分工明确，"
                "建设方案目标具体、可考核，组织架构和运行机制基本健全。建议进一步完善知识产权归属和收益分配约定。\n") * 30


def long_opinion():
    text = LONG_OPINION[:2000]
    assert len(text) == 2000  # the forms' maximum
    return text


@pytest.fixture(autouse=True)
def _notice_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.NOTICE_TITLE_FONT = "FandolSong:bold"
    settings.NOTICE_BODY_FONT = "FandolFang"


# ---------------------------------------------------------------------------
# Reading the PDF
# ---------------------------------------------------------------------------


def block_left(page_number):
    """The text block's left edge: the binding on a recto, the outer margin on its back."""
    return BINDING if page_number % 2 else OUTER


def in_block(word):
    return BLOCK_TOP - 1 <= word.top and word.bottom <= BLOCK_TOP + BLOCK_HEIGHT + 1


def joined(words):
    return "".join(w.text for w in words)


def assert_gb9704_layout(pdf, name, *, body=(), signed=True):
    """What every notice must be, whatever its length. ``body``: snippets of its body text (each printed in 3号)."""
    pages = word_boxes(pdf)
    texts = ["".join(text.split()) for text in page_texts(pdf)]
    assert len(pages) == len(texts)
    for number, words in enumerate(pages, start=1):
        left = block_left(number)
        inside = [w for w in words if in_block(w)]
        # Nothing leaves the 156 mm block.
        assert all(left - 1 <= w.left and w.right <= left + BLOCK_WIDTH + 1 for w in inside), (name, number)
        # "— N —" in 4号 on the outer side, one character in from the block's edge, its dashes 7 mm below it.
        footer = [w for w in words if w.top > BLOCK_TOP + BLOCK_HEIGHT and w.text in ("—", str(number))]
        assert [w.text for w in footer] == ["—", str(number), "—"], (name, number)
        assert all(abs(w.size - 14) <= 0.5 for w in footer)
        assert abs(footer[0].middle - (BLOCK_TOP + BLOCK_HEIGHT + 7)) <= 1, (name, number, footer[0].middle)
        if number % 2:
            assert abs(footer[-1].right - (left + BLOCK_WIDTH - CHARACTER)) <= 1, (name, number, footer[-1].right)
        else:
            assert abs(footer[0].left - (left + CHARACTER)) <= 1, (name, number, footer[0].left)
    # The justified lines of the body fill the block, from its left edge (28 mm on a recto, 26 mm on its back).
    body_words = [(w.left - block_left(n), w.right - block_left(n))
                  for n, words in enumerate(pages, start=1) for w in words if in_block(w) and abs(w.size - 16) <= 1]
    assert abs(min(left for left, _ in body_words)) <= 1, name
    assert abs(max(right for _, right in body_words) - BLOCK_WIDTH) <= 1, name
    # 28 characters a line (a full line of Chinese text), 22 lines a page (one line every 225 / 22 mm).
    full_lines = [w for words in pages for w in words if in_block(w) and abs(w.size - 16) <= 1
                  and w.right - w.left > BLOCK_WIDTH - 1 and re.fullmatch(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", w.text)]
    assert all(len(w.text) == 28 for w in full_lines), (name, [w.text for w in full_lines if len(w.text) != 28])
    for words in pages:
        tops = sorted({round(w.top, 2) for w in words if in_block(w) and abs(w.size - 16) <= 1})
        pitches = [b - a for a, b in zip(tops, tops[1:], strict=False)]
        assert not pitches or abs(min(pitches) - BLOCK_HEIGHT / 22) <= 0.1, (name, min(pitches))
    # Body text in 3号, wherever it falls.
    every_word = [w for words in pages for w in words]
    for snippet in body:
        holding = [w for w in every_word if snippet[:6] in w.text]
        assert holding and all(abs(w.size - 16) <= 1 for w in holding), (name, snippet[:6])
    last = pages[-1]
    if signed:
        # 署名 and 成文日期 together, on a page that also holds body text above them, the date 右空四字 and the
        # bureau's name centred over it.
        issuer = [w for w in last if w.text == "镇江市科学技术局"]
        assert len(issuer) == 1, (name, "the 署名 is on the last page")
        issuer = issuer[0]
        date = next(w for w in last if w.top > issuer.bottom and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", w.text))
        assert date.top - issuer.bottom < 5, name
        left = block_left(len(pages))
        assert abs(date.right - (left + BLOCK_WIDTH - 4 * CHARACTER)) <= 2, (name, date.right)
        assert abs((issuer.left + issuer.right) / 2 - (date.left + date.right) / 2) <= 1, name
        above = [w for w in last if in_block(w) and w.bottom <= issuer.top and abs(w.size - 16) <= 1]
        assert above, (name, "body text on the page of the 署名")
        # Room for the 42 mm seal between the text and the 署名.
        assert issuer.top - max(w.bottom for w in above) >= 18, name
    else:
        assert "镇江市科学技术局" not in texts[-1]
        assert [w for w in last if in_block(w) and abs(w.size - 16) <= 1], (name, "body text on the last page")
    return pages, texts, full_lines


def printed_code(texts):
    codes = {match for text in texts for match in re.findall(r"验证码([0-9A-F]{4}(?:-[0-9A-F]{4}){3})", "".join(text.split()))}
    assert len(codes) == 1
    return codes.pop()


def font_names(pdf):
    listing = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return {line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]}


# ---------------------------------------------------------------------------
# A consortium taken from 综合论证 to 资格取消, its opinions all of one length
# ---------------------------------------------------------------------------


def with_long_names(application):
    """Every unit name at 128 characters and the consortium's name as long as a filed name may grow (128)."""
    consortium = application.consortium
    for n, membership in enumerate(consortium.memberships.select_related("unit"), start=1):
        name = factories.longest_name(n)
        Unit.objects.filter(pk=membership.unit_id).update(name=name)
        Membership.objects.filter(pk=membership.pk).update(unit_name=name)
    ending = f"（{consortium.industry_field.name}）创新联合体"
    Consortium.objects.filter(pk=consortium.pk).update(name=factories.longest_name(0, "")[:128 - len(ending)] + "创新联合体")
    application.refresh_from_db()


@dataclass
class Decided:
    cast: Cast
    draft_opinion: bytes  # the 综合论证意见 while it ran


def decided(units, opinion, *, long_names=False):
    applicant, application = complete_application(members=units - 1)
    if long_names:
        with_long_names(application)
    cast = Cast(applicant, application)
    for action in ("submit", "district_pass", "start_appraisal"):
        cast.take(action)
    draft = documents.appraisal_opinion(RoundEntry.objects.get(consortium=cast.consortium))
    cast.take("file", opinion=opinion)
    for years_ago in (1, 0):
        cast.take("evaluate", years_ago=years_ago, grade="unqualified", opinion=opinion)
    sanction_services.revoke(cast.consortium.pk, cast.city, opinion)
    cast.consortium.refresh_from_db()
    return Decided(cast, draft)


@pytest.mark.parametrize(("units", "opinion", "long_names"), [(5, "可", False), (30, long_opinion(), True)],
                         ids=["5 units, 1 character", "30 units, 2000 characters, 128-character names"])
def test_every_notice_keeps_the_gb9704_layout_and_verifies_to_itself(client, units, opinion, long_names):
    world = decided(units, opinion, long_names=long_names)
    consortium = world.cast.consortium
    evaluation = Evaluation.objects.filter(consortium=consortium).order_by("year").last()
    revocation = Revocation.objects.get(consortium=consortium)
    entry = RoundEntry.objects.get(consortium=consortium)
    first_line = opinion.splitlines()[0]
    notices = {
        "备案通知书": (documents.filing_notice(consortium), ["你单位牵头申报的创新联合体", "特此通知。"]),
        "综合论证意见": (documents.appraisal_opinion(entry), ["已提交评分专家", first_line]),
        "绩效评价结果通知": (evaluation_documents.grading_notice(evaluation), ["根据《镇江市创新联合体", first_line, "特此通知。"]),
        "取消资格决定": (evaluation_documents.revocation_notice(revocation), ["你单位牵头的", first_line, "你单位如对本决定不服"]),
    }
    codes = {}
    for name, (pdf, body) in notices.items():
        pages, texts, full_lines = assert_gb9704_layout(pdf, name, body=body)
        assert font_names(pdf) == {"FandolFang", "FandolSong-Bold"}, name
        everything = "".join(texts)
        assert f"核验网址{SITE_URL}/verify/" in everything, name  # one line says where to verify
        codes[name] = printed_code(texts)
        if name != "综合论证意见":  # an internal record of the city, never sent to the district
            assert "抄送：京口区科学技术局。" in texts[-1], name
        if units == 5:
            assert len(pages) == 1, name  # one page at ordinary lengths
        if name == "绩效评价结果通知":  # its consequence as frozen ("连续 2 次"), set without stretched spaces
            assert "连续2次评价为“不合格”的，取消市级创新联合体资格" in everything
        if len(opinion) == 2000 and name != "备案通知书":
            assert len(pages) >= 3, name  # the opinion flowed on, and the last page still holds body text
            assert len(full_lines) >= 40, name  # its lines of 28 characters
    # The 备案通知书: no row cut in half, each 128-character name whole on the page of its credit code.
    filing_texts = ["".join(t.split()) for t in page_texts(notices["备案通知书"][0])]
    for member in FilingNotice.objects.get(consortium=consortium).content["members"]:
        page = next(t for t in filing_texts if member["credit_code"] in t)
        assert member["name"][:12] in page and member["name"][-12:] in page
    # The draft: watermarked 未定稿, unsigned, no code.
    _, draft_texts, _ = assert_gb9704_layout(world.draft_opinion, "综合论证意见（未定稿）", body=["已提交评分专家"], signed=False)
    assert "未定稿" in draft_texts[0] and "未定稿·无验证码" in draft_texts[0] and "验证码" not in draft_texts[0].replace("无验证码", "")
    # Each code is its own, and verifies to its own document with the facts it states.
    version_code = world.cast.application.versions.get().sha256[:16].upper()
    assert len(set(codes.values())) == 4 and all(code.replace("-", "") != version_code for code in codes.values())
    filed_on = timezone.datetime.fromisoformat(FilingNotice.objects.get(consortium=consortium).content["filed_on"])
    expected = {
        "备案通知书": ["创新联合体备案通知书", consortium.record_number, f"{filed_on.year}年{filed_on.month}月{filed_on.day}日"],
        "综合论证意见": ["创新联合体综合论证意见", "予以备案"],
        "绩效评价结果通知": ["年度绩效评价结果通知", "不合格"],
        "取消资格决定": ["取消市级创新联合体资格决定"],
    }
    for name, code in codes.items():
        page = client.get(reverse("dossier:verify", args=[code])).content.decode()
        for fact in expected[name]:
            assert fact in page, (name, fact)
    # The 申请书's own code still verifies to the 申请书 (old notices printed it).
    assert "对应平台存档的以下申请书" in client.get(reverse("dossier:verify", args=[version_code])).content.decode()


@pytest.mark.parametrize(("reason", "long_names"), [("评分时误用了上一年度的报告。", False), (long_opinion(), True)],
                         ids=["a short reason", "2000 characters, 128-character names"])
def test_the_corrected_grading_notice_keeps_the_gb9704_layout(client, reason, long_names):
    """The 评价结果通知（复核更正）: the correction's paragraph before the table, the reason after it; corrected to
    不合格 it carries the consequence too — and still one page at ordinary lengths."""
    applicant, application = complete_application(members=4)
    if long_names:
        with_long_names(application)
    cast = Cast(applicant, application)
    for action in ("submit", "district_pass", "start_appraisal"):
        cast.take(action)
    cast.take("file", opinion="可")
    cast.take("evaluate", years_ago=0, grade="qualified", opinion="可")
    correction = cast.take("correct_grade", opinion=reason, grade="unqualified")
    pdf = evaluation_documents.correction_notice(correction)
    pages, texts, _ = assert_gb9704_layout(pdf, "绩效评价结果通知（复核更正）", body=["经复核，原评价结果有误", reason.splitlines()[0]])
    everything = "".join(texts)
    assert "绩效评价结果通知（复核更正）" in everything and "原通知作废" in everything
    assert "复核理由：" in everything and "特此通知。" in texts[-1]
    assert "抄送：" in texts[-1]
    if not long_names:
        assert len(pages) == 1
    # Its own code on it, and the corrected notice's named in the correction's paragraph; each verifies to its own.
    own, corrected = verification.code_for(correction.sha256), verification.code_for(correction.evaluation.sha256)
    assert f"验证码{own}" in everything and f"（验证码{corrected}）" in everything
    assert "复核更正" in client.get(reverse("dossier:verify", args=[own])).content.decode()


# ---------------------------------------------------------------------------
# The 综合论证意见 before the decision
# ---------------------------------------------------------------------------


def opinion_url(cast):
    entry = RoundEntry.objects.get(consortium=cast.consortium)
    return reverse("reviews:appraisal_opinion", args=[cast.consortium.pk, entry.pk]), entry


def test_staff_choose_whether_a_running_appraisals_opinion_prints_as_a_draft_or_not_at_all(client):
    cast = cast_at(Status.UNDER_APPRAISAL)
    url, entry = opinion_url(cast)
    choice = reverse("reviews:draft_printing", args=[cast.consortium.pk, entry.pk])
    review = reverse("reviews:review", args=[cast.consortium.pk])
    client.force_login(cast.city)
    page = client.get(review).content.decode()
    assert "data-draft-opinion>打印未定稿<" in page and 'value="draft" id="printing-draft-' in page  # the default: a draft
    draft = client.get(url)
    assert draft["Content-Type"] == "application/pdf"
    assert "未定稿" in draft["Content-Disposition"] or "%E6%9C%AA%E5%AE%9A%E7%A8%BF" in draft["Content-Disposition"]
    text = "".join(page_texts(draft.content)[0].split())
    assert "（未定稿：论证尚未结束，不作为正式意见）" in text and "未定稿·无验证码" in text and "镇江市科学技术局" not in text
    # Not at all, then back.
    assert client.post(choice, {"printing": "nothing"}).status_code == 302
    assert "请选择论证结束前论证意见是否可以打印。" in client.get(review).content.decode()
    client.post(choice, {"printing": "none"})
    entry.refresh_from_db()
    assert entry.draft_printable is False
    refused = client.get(url)
    assert refused.status_code == 302 and refused["Location"] == review
    page = client.get(review).content.decode()
    assert "该申请的综合论证尚未结束，已设置为论证结束前不打印论证意见。" in page and "data-draft-opinion" not in page
    assert "论证结束前不打印" in page
    # Once decided it prints as issued, whatever was chosen before, and the choice is closed.
    cast.take("file", opinion="同意备案。")
    signed = "".join(page_texts(client.get(url).getvalue())[-1].split())
    assert "镇江市科学技术局" in signed and "未定稿" not in signed and "验证码" in signed
    client.post(choice, {"printing": "draft"})
    assert "该申请的综合论证已结束，论证意见按定稿打印。" in client.get(review).content.decode()


def test_notices_decided_before_they_had_their_own_content_are_frozen_when_first_printed(client):
    cast = cast_at(Status.FILED)
    consortium = cast.consortium
    FilingNotice.objects.filter(consortium=consortium).delete()
    RoundEntry.objects.filter(consortium=consortium).update(content=None, sha256="")
    entry = RoundEntry.objects.get(consortium=consortium)
    first = page_texts(documents.filing_notice(consortium))
    notice = FilingNotice.objects.get(consortium=consortium)
    assert notice.content["record_number"] == consortium.record_number and notice.content["copy_to"] == "京口区科学技术局"
    assert printed_code(first) == verification.code_for(notice.sha256)
    assert page_texts(documents.filing_notice(consortium)) == first  # the same notice, the same code, every time
    documents.appraisal_opinion(entry)
    entry.refresh_from_db()
    assert entry.content["decision_label"] == "予以备案" and entry.content["filed_name"] == consortium.name
    assert entry.sha256 == digest(entry.content)
    page = client.get(reverse("dossier:verify", args=[verification.code_for(entry.sha256)])).content.decode()
    assert "创新联合体综合论证意见" in page and "予以备案" in page


# ---------------------------------------------------------------------------
# What the after-filing notices print from their frozen content, old and new
# ---------------------------------------------------------------------------


def revoked_notice_text(revocation):
    return "".join("".join(page_texts(evaluation_documents.revocation_notice(revocation), "-raw")).split())


def test_the_revocation_decision_prints_its_number_title_and_remedies_and_old_contents_still_print(settings):
    cast = cast_at(Status.REVOKED)
    revocation = Revocation.objects.get()
    name, year = cast.consortium.name, timezone.localdate().year
    # As the revocation step froze it: its own 文号, and the remedies and district as they were that day.
    number = f"镇创联撤〔{year}〕1号"
    assert (revocation.content["document_number"], revocation.content["copy_to"]) == (number, "京口区科学技术局")
    text = revoked_notice_text(revocation)
    assert f"关于取消“{name}”市级创新联合体资格的决定{number}{cast.consortium.lead_unit.name}：" in text
    assert "你单位如对本决定不服，可以自收到本决定之日起六十日内向镇江市人民政府申请行政复议" in text
    assert "也可以自收到本决定之日起六个月内依法向人民法院提起行政诉讼。" in text and "抄送：京口区科学技术局。" in text
    settings.REVOCATION_REMEDIES_TEXT = "如不服本决定，可依法申请行政复议或者提起行政诉讼。"
    assert "如不服本决定，可依法申请行政复议或者提起行政诉讼。" not in revoked_notice_text(revocation)  # frozen that day
    # A decision frozen before 文号, remedies and 抄送 were part of it still prints: the remedies as the setting says
    # today, the district of its lead today, and no number.
    old = {key: value for key, value in revocation.content.items() if key not in ("document_number", "remedies", "copy_to")}
    Revocation.objects.filter(pk=revocation.pk).update(content=old, sha256=digest(old))
    revocation.refresh_from_db()
    text = revoked_notice_text(revocation)
    assert f"关于取消“{name}”市级创新联合体资格的决定" in text and "镇创联撤" not in text
    assert "如不服本决定，可依法申请行政复议或者提起行政诉讼。" in text and "抄送：京口区科学技术局。" in text


def test_the_grading_notice_names_the_third_party_institution_and_an_overdue_report_when_its_content_has_them():
    cast = cast_at(Status.FILED)
    cast.take("evaluate", grade="qualified", opinion="基本完成年度目标。")
    evaluation = Evaluation.objects.get()

    def printed():
        return "".join("".join(page_texts(evaluation_documents.grading_notice(evaluation), "-raw")).split())

    old = printed()
    assert "评价依据年度运行情况总结；第三方评价报告（江苏省科技评估中心）" in old  # as graded now: the institution
    old_content = {**{key: value for key, value in evaluation.content.items() if not key.startswith("third_party_institution")},
                   "third_party_name": "第三方评价报告.pdf"}  # what contents frozen before named: the file
    Evaluation.objects.filter(pk=evaluation.pk).update(content=old_content, sha256=digest(old_content))
    evaluation.refresh_from_db()
    assert "评价依据年度运行情况总结；第三方评价报告（第三方评价报告.pdf）" in printed()  # contents frozen before it was asked
    content = {**evaluation.content, "third_party_institution": "江苏省科技咨询中心", "third_party_report_date": "2026-11-20",
               "third_party_report_number": "苏科咨评〔2026〕18号", "overdue_report": True}
    Evaluation.objects.filter(pk=evaluation.pk).update(content=content, sha256=digest(content))
    evaluation.refresh_from_db()
    text = printed()
    assert "年度报告逾期未报送年度报告" in text
    assert "评价依据第三方评价报告（江苏省科技咨询中心，2026年11月20日，苏科咨评〔2026〕18号）" in text
    assert "第三方评价报告.pdf" not in text


# ---------------------------------------------------------------------------
# Faces, numbers
# ---------------------------------------------------------------------------


def test_the_notice_faces_are_their_own_settings_the_first_installed_of_each_list(settings):
    settings.NOTICE_TITLE_FONT = "方正小标宋简体-未安装, FandolSong:bold"
    settings.NOTICE_BODY_FONT = "仿宋_GB2312-未安装, FandolFang"
    settings.DOSSIER_BODY_FONT = "Noto Serif CJK SC"
    cast = cast_at(Status.FILED)
    assert font_names(documents.filing_notice(cast.consortium)) == {"FandolSong-Bold", "FandolFang"}
    settings.NOTICE_BODY_FONT = "Noto Serif CJK SC"  # a setting of their own: the dossier's faces are not touched
    assert font_names(documents.filing_notice(cast.consortium)) == {"FandolSong-Bold", "Noto-Serif-CJK-SC"}


@pytest.mark.parametrize("face", ["Nonexistent Fang", "DejaVu Sans"], ids=["not installed", "no Chinese glyphs"])
def test_a_notice_face_without_chinese_glyphs_stops_the_render_with_a_message(client, settings, face):
    if face == "DejaVu Sans" and "DejaVu Sans" not in subprocess.run(["fc-list", ":", "family"], capture_output=True,
                                                                     text=True).stdout:
        pytest.skip("DejaVu Sans 未安装")
    settings.NOTICE_BODY_FONT = face
    cast = cast_at(Status.FILED)
    client.force_login(cast.applicant)
    response = client.get(reverse("reviews:filing_notice", args=[cast.consortium.pk]))
    assert response.status_code == 302
    message = (f"无法生成通知 PDF：服务器未安装正文字体（NOTICE_BODY_FONT）“{face}”中的任何一种，生成的文件将无法显示汉字。"
               "请由系统管理员安装所设置的字体，或运行 scripts/ensure-fandol-fonts（make run 时自动运行）安装免费的 "
               "FandolSong、FandolFang 字体（取自 Debian 软件包 texlive-lang-chinese）后重试。")
    assert message in client.get(response["Location"]).content.decode()


def test_each_kind_of_document_is_numbered_from_its_own_gapless_yearly_sequence():
    with transaction.atomic():
        assert services.next_document_number(DocumentKind.FILING, 2031) == "镇创联备〔2031〕001号"
        assert services.next_document_number(DocumentKind.REVOCATION, 2031) == "镇创联撤〔2031〕1号"
        assert services.next_document_number(DocumentKind.REVOCATION, 2031) == "镇创联撤〔2031〕2号"
        assert services.next_document_number(DocumentKind.REVOCATION, 2032) == "镇创联撤〔2032〕1号"
    with pytest.raises(RuntimeError), transaction.atomic():
        services.next_document_number(DocumentKind.REVOCATION, 2031)
        raise RuntimeError("the decision failed")  # its number goes back with it
    assert services.next_document_number(DocumentKind.REVOCATION, 2031) == "镇创联撤〔2031〕3号"
    assert services.next_document_number(DocumentKind.FILING, 2031) == "镇创联备〔2031〕002号"


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_record_numbers_given_so_far():
    with replaced_migrations.gone_back_to(("reviews", "0004_criterion_evidence")) as apps:
        old = apps.get_model("reviews", "RecordNumberSequence")
        old.objects.create(year=2025, last=7)
        old.objects.create(year=2026, last=3)
    assert sorted(DocumentNumberSequence.objects.values_list("kind", "year", "last")) == [("filing", 2025, 7), ("filing", 2026, 3)]
    with transaction.atomic():  # as in the filing step: the sequence row is locked until it commits
        assert services.next_document_number(DocumentKind.FILING, 2026) == "镇创联备〔2026〕004号"
