"""The CJK font check: a dossier printed in a font without Chinese glyphs is a PDF of empty boxes."""

import shutil
import subprocess

from django.conf import settings

from .errors import FontMissing

INSTALL_HINT = "请由系统管理员安装中文字体软件包 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk）后重试。"
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
