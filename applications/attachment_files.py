"""The files of attachments as a frozen version recorded them.

An attachment row may be removed after a submission, but its file stays, stored under its SHA-256
(models.attachment_path); a frozen version finds it by that hash and serves or prints it only if
the bytes still have the hash the version recorded.
"""

import hashlib
from dataclasses import dataclass

from .models import Attachment

CHUNK = 1024 * 1024


class Unavailable(Exception):
    """The file is gone or no longer the one recorded; the message says which, in Chinese."""


def _storage():
    return Attachment._meta.get_field("file").storage


def stored_name(consortium_id, attachment_id, sha256):
    """Where the recorded file is: its row if it still exists and still holds those bytes, else its hash folder."""
    row = Attachment.objects.filter(pk=attachment_id, consortium_id=consortium_id, sha256=sha256).first()
    if row is not None:
        return row.file.name
    folder = f"attachments/{consortium_id}/{(sha256 or '')[:2]}/{sha256}"
    try:
        names = _storage().listdir(folder)[1] if sha256 else []
    except (OSError, NotImplementedError):
        names = []
    if not names:
        raise Unavailable("附件已被删除，服务器上找不到该文件。")
    return f"{folder}/{names[0]}"


def read_verified(name, sha256):
    """The whole file, if its bytes still have the recorded hash."""
    try:
        with _storage().open(name, "rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        raise Unavailable("文件缺失，服务器上找不到该附件。") from None
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise Unavailable("文件与提交时登记的摘要不一致，可能已被替换。")
    return data


@dataclass(frozen=True)
class FrozenFile:
    """A stored file as a frozen version recorded it; like a FieldFile to operations.files (name, storage, open)."""

    name: str
    original_name: str
    content_type: str

    @property
    def storage(self):
        return _storage()

    def open(self, mode="rb"):
        return _storage().open(self.name, mode)


def frozen_file(version, attachment_id):
    """The file of one attachment of a frozen version, checked against its hash; None if it is not there."""
    entry = next((a for a in version.content.get("attachments", []) if a.get("id") == attachment_id), None)
    if entry is None:
        return None
    try:
        name = stored_name(version.application.consortium_id, attachment_id, entry.get("sha256"))
        digest = hashlib.sha256()
        with _storage().open(name, "rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
    except (Unavailable, OSError, ValueError):
        return None
    if digest.hexdigest() != entry.get("sha256"):
        return None
    return FrozenFile(name, entry.get("original_name") or name.rsplit("/", 1)[-1], entry.get("content_type") or "application/octet-stream")
