"""Hostile uploads: each is refused with a message and nothing stored, or (a PDF with links, scripts
or embedded files) stored cleaned. Every file is built here, in a few bytes where the attack allows."""

import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.actions import JavaScript
from pypdf.annotations import FreeText, Link

from accounts.roles import Role
from applications import services, uploads
from applications.models import Attachment
from operations import once
from tests import factories
from tests.applications.intake_helpers import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


# --- Files ---------------------------------------------------------------------------------------


def raw_pdf(*objects):
    """A PDF written object by object (object 1 is the catalogue), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def page_tree_bomb(levels=9, fanout=10):
    """Each level lists the next one ten times: 10⁹ pages claimed in under 1 kB."""
    levels_ = [
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join([b"%d 0 R" % (3 + level)] * fanout), fanout ** (levels - level))
        for level in range(levels)
    ]
    return raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", *levels_, b"<< /Type /Page /MediaBox [0 0 595 842] >>")


def page_tree_loop():
    return raw_pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>")


def flate_bomb(megabytes=80):
    """One page whose drawing instructions are 80 MB of zeros, compressed to about 80 kB."""
    compressor = zlib.compressobj(9)
    zeros = bytes(1 << 20)
    data = b"".join(compressor.compress(zeros) for _ in range(megabytes)) + compressor.flush()
    return raw_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(data), data),
    )


def pdf_with(pages=1, **parts):
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if parts.get("link"):
        writer.add_annotation(0, Link(rect=(50, 50, 200, 80), url="http://phishing.example/"))
    if parts.get("note"):
        writer.add_annotation(0, FreeText(text="已核对", rect=(50, 100, 200, 130)))
    if parts.get("javascript"):
        writer.add_open_action(JavaScript("app.alert('x');"))
    if parts.get("attachment"):
        writer.add_attachment("setup.exe", b"MZ\x90\x00")
    if parts.get("password"):
        writer.encrypt(parts["password"])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_header(width, height):
    """Only the header of a PNG: its size is all Pillow reads to learn how large it claims to be."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def jpeg_claiming(width, height):
    """A real small JPEG whose frame header is rewritten to claim another size."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buffer, "JPEG")
    data = bytearray(buffer.getvalue())
    frame = data.index(b"\xff\xc0")
    data[frame + 5:frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.cookie)</script></svg>'
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


# --- Through the attachment page -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # so that "nothing stored" sees this test's files only


@pytest.fixture
def applicant(client):
    user = factories.user(Role.APPLICANT)
    client.force_login(user)
    return user


@pytest.fixture
def consortium(applicant):
    return services.start_application(applicant, name="测试", industry_field=factories.industry_field())


def post(client, consortium, unit, name, content):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse("applications:attachments", args=[consortium.pk]),
                       {"unit": unit.pk, "kind": "license", "title": "营业执照", "file": upload})


def stored_files(consortium):
    folder = Path(settings.MEDIA_ROOT) / "attachments" / str(consortium.pk)
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


PAGE_TREE = "PDF 文件的页面结构异常（页面被重复引用或层级过深），可能是恶意构造的文件，请重新导出或扫描后上传。"
TOO_MANY_PIXELS = "超过 4000 万像素的上限，请降低分辨率（扫描件用 300 dpi 即可）后重新上传。"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("营业执照.pdf", EXECUTABLE, "只接受 PDF、JPG、PNG 文件；“营业执照.pdf”的内容不是这三种格式。"),
        ("证书.exe", EXECUTABLE, "只接受 PDF、JPG、PNG 文件；“证书.exe”的内容不是这三种格式。"),
        ("logo.svg", SVG, "只接受 PDF、JPG、PNG 文件；“logo.svg”的内容不是这三种格式。"),
        ("logo.png", SVG, "只接受 PDF、JPG、PNG 文件；“logo.png”的内容不是这三种格式。"),
        ("页面.html", b"<html><body><script>alert(1)</script>%PDF-1.4</body></html>",
         "只接受 PDF、JPG、PNG 文件；“页面.html”的内容不是这三种格式。"),
        ("双面.pdf", pdf_bytes().replace(b"\n", b"\n%<html><script>alert(1)</script></html>\n", 1),
         "文件“双面.pdf”在 PDF 内容之外还夹带了网页代码，可能是伪装的文件，请从原文档重新导出 PDF 后上传。"),
        ("双面.pdf", pdf_bytes() + b"<!DOCTYPE html><body onload=alert(1)>",
         "文件“双面.pdf”在 PDF 内容之外还夹带了网页代码，可能是伪装的文件，请从原文档重新导出 PDF 后上传。"),
        ("加密.pdf", pdf_with(password="secret"), "PDF 文件已加密或设置了打开密码，请上传未加密的文件。"),
        ("页面树.pdf", page_tree_bomb(), PAGE_TREE),
        ("循环.pdf", page_tree_loop(), PAGE_TREE),
        ("压缩炸弹.pdf", flate_bomb(), "PDF 文件中的压缩数据解压后过大，可能是恶意构造的文件，请重新导出或扫描后上传。"),
        ("巨图.png", png_header(20000, 20000), "图片的像素数过多，" + TOO_MANY_PIXELS),
        ("大图.png", png_header(12000, 12000), "图片为 12000×12000 像素（约 1.44 亿像素），" + TOO_MANY_PIXELS),
        ("大图.jpg", jpeg_claiming(10000, 5000), "图片为 10000×5000 像素（约 5000 万像素），" + TOO_MANY_PIXELS),
        ("..／..／settings.pdf", pdf_bytes(),
         "文件名“..／..／settings.pdf”含有路径符号（/ 或 \\）或控制字符，请改用普通的文件名后重新上传。"),
    ],
)
def test_a_hostile_upload_is_refused_with_a_message_and_nothing_is_stored(client, applicant, consortium, name, content, message):
    response = post(client, consortium, applicant.unit, name, content)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert 'value="营业执照"' in response.content.decode()  # the rest of the form as typed
    assert not Attachment.objects.exists()
    assert stored_files(consortium) == []


@pytest.mark.slow  # renders a PDF or starts a process
def test_a_pdf_with_a_link_javascript_and_an_embedded_file_is_stored_without_them(client, applicant, consortium):
    original = pdf_with(pages=2, link=True, note=True, javascript=True, attachment=True)
    assert uploads.has_active_content(PdfReader(io.BytesIO(original)))
    response = post(client, consortium, applicant.unit, "带链接.pdf", original)
    assert response.status_code == 302
    told = [str(message) for message in get_messages(response.wsgi_request)]
    assert told == ["附件已上传。文件中的链接、脚本和嵌入文件已按安全要求移除，页面内容不变。"]
    attachment = Attachment.objects.get()
    stored = Path(attachment.file.path).read_bytes()
    reader = PdfReader(io.BytesIO(stored))
    assert uploads.has_active_content(reader) is False
    assert len(reader.pages) == 2
    assert [annotation.get_object()["/Subtype"] for annotation in reader.pages[0]["/Annots"]] == ["/FreeText"]
    assert b"/JavaScript" not in stored and b"setup.exe" not in stored and b"phishing.example" not in stored
    assert (attachment.size, attachment.sha256) == (len(stored), hashlib.sha256(stored).hexdigest())


def test_an_ordinary_pdf_and_image_are_stored_byte_for_byte(client, applicant, consortium):
    for name, content in (("营业执照.pdf", pdf_bytes()), ("证书.png", png_bytes()), ("照片.jpg", jpeg_claiming(16, 16))):
        response = post(client, consortium, applicant.unit, name, content)
        assert response.status_code == 302
        assert [str(message) for message in get_messages(response.wsgi_request)][-1] == "附件已上传。"  # nothing was taken out
        assert Path(Attachment.objects.latest("id").file.path).read_bytes() == content


# --- The checks themselves ---------------------------------------------------------------------------


def test_a_pdf_is_refused_above_the_page_limit_and_accepted_at_it(settings):
    settings.UPLOAD_MAX_PDF_PAGES = 3
    assert uploads.inspect(SimpleUploadedFile("三页.pdf", pdf_with(pages=3)))[0] == "application/pdf"
    with pytest.raises(ValidationError) as refused:
        uploads.inspect(SimpleUploadedFile("四页.pdf", pdf_with(pages=4)))
    assert refused.value.messages == ["PDF 文件超过 3 页的上限，请拆分或删减后上传。"]


def test_an_image_at_the_pixel_limit_passes_and_one_pixel_more_does_not(settings):
    settings.UPLOAD_MAX_IMAGE_PIXELS = 100 * 100
    assert uploads.inspect(SimpleUploadedFile("正好.png", png_header(100, 100)))[0] == "image/png"
    with pytest.raises(ValidationError, match="图片为 101×100 像素"):
        uploads.inspect(SimpleUploadedFile("多一列.png", png_header(101, 100)))


@pytest.mark.parametrize("name", ["..\\..\\evil.pdf", "证书\n.pdf", "证书\u202egpj.pdf"])
def test_names_with_path_or_control_characters_are_refused_when_they_reach_the_check(name):
    with pytest.raises(ValidationError) as refused:
        uploads.inspect(SimpleUploadedFile(name, pdf_bytes()))
    assert refused.value.code == "name"


def test_a_browser_sent_traversal_or_newline_name_arrives_without_them_and_is_stored_inside_media(client, applicant, consortium):
    body = (
        b"--B\r\nContent-Disposition: form-data; name=\"unit\"\r\n\r\n%d\r\n"
        b"--B\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nlicense\r\n"
        b"--B\r\nContent-Disposition: form-data; name=\"once_token\"\r\n\r\n%s\r\n"  # as the page's form sends it
        b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''..%%2F..%%2Fetc%%2Fpasswd%%0A.pdf\r\n"
        b"Content-Type: application/pdf\r\n\r\n%s\r\n--B--\r\n"
    ) % (applicant.unit.pk, once.new_token(applicant).encode(), pdf_bytes())
    response = client.generic("POST", reverse("applications:attachments", args=[consortium.pk]), body,
                              content_type="multipart/form-data; boundary=B")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "passwd.pdf"
    assert Path(attachment.file.path).name == "passwd.pdf"
    assert Path(attachment.file.path).resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())


def test_a_large_upload_kept_in_a_temporary_file_is_cleaned_in_that_file():
    upload = TemporaryUploadedFile("带链接.pdf", "application/pdf", 0, None)
    original = pdf_with(link=True)
    upload.write(original)
    upload.size = len(original)
    content_type, name, sha256 = uploads.inspect(upload)
    with open(upload.temporary_file_path(), "rb") as handle:
        cleaned = handle.read()
    assert (content_type, name, upload.size) == ("application/pdf", "带链接.pdf", len(cleaned))
    assert sha256 == hashlib.sha256(cleaned).hexdigest()
    assert uploads.has_active_content(PdfReader(io.BytesIO(cleaned))) is False
    upload.close()


# --- Ordinary uploads through the attachment page -----------------------------------------------------------------------------------


def attachment_post(client, consortium, unit, file):
    return client.post(reverse("applications:attachments", args=[consortium.pk]),
                       {"unit": unit.pk, "kind": "license", "title": "营业执照", "file": file})


def test_an_upload_whose_content_does_not_match_its_name_is_refused(client):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    response = attachment_post(client, consortium, applicant.unit, upload("营业执照.pdf", content_type="application/pdf"))
    assert response.context["form"].errors["file"] == ["文件“营业执照.pdf”的内容是PNG 图片，与文件名后缀“.pdf”不符，请核对后重新上传。"]
    assert 'value="营业执照"' in response.content.decode()  # the rest of the form as typed
    response = attachment_post(client, consortium, applicant.unit, upload("说明.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))
    assert response.context["form"].errors["file"] == ["只接受 PDF、JPG、PNG 文件；“说明.pdf”的内容不是这三种格式。"]
    assert not Attachment.objects.exists()


def test_an_oversized_upload_is_refused_with_the_limit(client, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    big = pdf_bytes() + b"0" * (1024 * 1024)
    response = attachment_post(client, consortium, applicant.unit, upload("大.pdf", big, "application/pdf"))
    assert response.context["form"].errors["file"] == ["文件大小为 1.0 MB，超过 1 MB 的上限，请压缩后再上传。"]


def test_a_valid_pdf_is_stored_under_media_with_a_safe_name_and_its_hash(client, settings):
    applicant = factories.user(Role.APPLICANT)
    consortium = services.start_application(applicant, name="测试", industry_field=factories.industry_field())
    client.force_login(applicant)
    response = attachment_post(client, consortium, applicant.unit, upload("../../营业执照<副本>.PDF", pdf_bytes(), "application/pdf"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.name.endswith("/营业执照_副本.pdf")
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))
    assert attachment.content_type == "application/pdf"
    download = client.get(reverse("applications:attachment", args=[attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
