"""The CJK font check: a dossier printed in a font without Chinese glyphs is a PDF of empty boxes.

The dossier names one family per role (DOSSIER_BODY_FONT, DOSSIER_HEADING_FONT). The one-page notices name a
list per role (NOTICE_TITLE_FONT, NOTICE_BODY_FONT: the bureau's licensed 公文 faces, then free ones) and print
in the first one installed.
"""

import shutil
import subprocess
from dataclasses import dataclass

from django.conf import settings

from .errors import FontMissing

INSTALL_HINT = "请由系统管理员安装中文字体软件包 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk）后重试。"
NOTICE_INSTALL_HINT = (
    "请由系统管理员安装所设置的字体，或运行 scripts/ensure-fandol-fonts（make run 时自动运行）安装免费的 FandolSong、"
    "FandolFang 字体（取自 Debian 软件包 texlive-lang-chinese）后重试。"
)
_known_installed: set[str] = set()


def configured_families():
    return [settings.DOSSIER_BODY_FONT, settings.DOSSIER_HEADING_FONT]


def installed_cjk_families():
    """Family names fontconfig knows with Chinese coverage (`fc-list :lang=zh family`)."""
    if shutil.which("fc-list") is None:
        return set()
    try:
        listing = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in listing.splitlines() for name in line.split(",") if name.strip()}


def ensure_cjk_fonts():
    """Raise FontMissing, naming the package to install, unless every configured family has Chinese glyphs."""
    wanted = configured_families()
    if all(family in _known_installed for family in wanted):
        return
    installed = installed_cjk_families()
    missing = [family for family in wanted if family not in installed]
    if missing:
        names = "、".join(f"“{family}”" for family in missing)
        raise FontMissing(f"无法生成申请书 PDF：服务器未安装中文字体 {names}，生成的文件将无法显示汉字。{INSTALL_HINT}")
    _known_installed.update(wanted)


@dataclass(frozen=True)
class Face:
    family: str
    bold: bool = False


def faces(setting):
    """"方正小标宋简体, FandolSong:bold" → [Face("方正小标宋简体"), Face("FandolSong", bold=True)]."""
    found = []
    for item in setting.split(","):
        family, _, style = item.strip().partition(":")
        if family.strip():
            found.append(Face(family.strip(), style.strip().lower() == "bold"))
    return found


@dataclass(frozen=True)
class NoticeFaces:
    title: Face
    body: Face


NOTICE_ROLES = (("title", "NOTICE_TITLE_FONT", "标题"), ("body", "NOTICE_BODY_FONT", "正文"))


def notice_faces():
    """The title and body faces the notices print in: for each, the first face of its setting that fontconfig has
    with Chinese glyphs. FontMissing, naming the setting and its faces, when none of them is installed."""
    chosen = {}
    installed = None
    for role, name, label in NOTICE_ROLES:
        candidates = faces(getattr(settings, name))
        known = next((face for face in candidates if face.family in _known_installed), None)
        if known is None:
            installed = installed_cjk_families() if installed is None else installed
            known = next((face for face in candidates if face.family in installed), None)
        if known is None:
            names = "、".join(f"“{face.family}”" for face in candidates) or "（未设置）"
            raise FontMissing(f"无法生成通知 PDF：服务器未安装{label}字体（{name}）{names}中的任何一种，"
                              f"生成的文件将无法显示汉字。{NOTICE_INSTALL_HINT}")
        _known_installed.add(known.family)
        chosen[role] = known
    return NoticeFaces(**chosen)
