"""backup → restore gives back every row and file; a damaged or newer backup is refused and changes nothing."""

import hashlib
import json

import pytest
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from accounts.roles import Role
from applications.dossier import jobs
from operations import backup
from tests import factories
from tests.applications.dossier import helpers as dossier

pytestmark = pytest.mark.django_db(transaction=True)  # restore replaces the database: no test transaction around it


def rows():
    """Every row of every table, as plain values, in primary-key order."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models() if model._meta.managed and not model._meta.proxy
    }


def files():
    return {name: hashlib.sha256(default_storage.open(name).read()).hexdigest() for name in backup.stored_files()}


@pytest.fixture
def portal():
    """A draft with its attachments and a printed dossier: rows and files of every kind."""
    applicant = factories.user(Role.APPLICANT)
    draft = dossier.application(applicant=applicant)
    assert jobs.request(draft, applicant).state == "done"
    return applicant


def empty_everything():
    call_command("flush", interactive=False, verbosity=0)
    for name in backup.stored_files():
        default_storage.delete(name)
    assert backup.existing_users() == 0 and backup.stored_files() == []


def test_backup_then_restore_into_an_empty_database_gives_back_every_row_and_file(portal, tmp_path, capsys):
    before_rows, before_files = rows(), files()
    assert len(before_files) >= 3  # two attachments and the dossier
    call_command("backup", str(tmp_path / "b"))
    manifest = json.loads((tmp_path / "b" / "manifest.json").read_text())
    assert {entry["name"]: entry["sha256"] for entry in manifest["files"]} == before_files
    assert manifest["migrations"] == backup.applied_migrations()
    folder = tmp_path / "b"
    modes = {oct(path.stat().st_mode & 0o777) for path in [folder, *folder.rglob("*")]}
    assert modes <= {"0o700", "0o600"}  # password hashes and personal data: for the backup's owner only

    empty_everything()
    call_command("restore", str(tmp_path / "b"))
    assert "恢复完成" in capsys.readouterr().out
    assert rows() == before_rows
    assert files() == before_files


def test_a_corrupted_file_makes_restore_refuse_and_change_nothing(portal, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    name = json.loads((tmp_path / "b" / "manifest.json").read_text())["files"][0]["name"]
    damaged = tmp_path / "b" / "files" / name
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"X")
    factories.user(Role.EXPERT, username="added_after_the_backup")
    before_rows, before_files = rows(), files()

    for replace in ([], ["--replace"]):
        with pytest.raises(CommandError) as refusal:
            call_command("restore", str(tmp_path / "b"), *replace)
        assert str(refusal.value) == f"备份已损坏或不完整，未做任何更改：文件 files/{name} 的 SHA-256 与清单不符。"
        assert rows() == before_rows and files() == before_files


def test_a_backup_from_a_newer_schema_is_refused(portal, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"].append("applications.9999_from_a_later_release")
    manifest_path.write_text(json.dumps(manifest))
    empty_everything()
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(tmp_path / "b"))
    assert str(refusal.value) == (
        "备份来自较新版本的系统：其数据库包含本系统没有的 1 个数据库迁移（applications.9999_from_a_later_release）。"
        "请先将本系统升级到不低于备份时的版本，再恢复。"
    )
    assert backup.existing_users() == 0 and backup.stored_files() == []


def test_restore_over_existing_data_needs_replace(portal, tmp_path):
    call_command("backup", str(tmp_path / "b"))
    before_rows = rows()
    with pytest.raises(CommandError, match=r"当前数据库已有数据（1 个账户）。.*加 --replace 重新运行"):
        call_command("restore", str(tmp_path / "b"))
    factories.user(Role.EXPERT, username="added_after_the_backup")
    call_command("restore", str(tmp_path / "b"), "--replace")
    assert rows() == before_rows


def test_backup_needs_a_new_or_empty_folder_and_restore_a_backup(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(tmp_path / "used"))
    with pytest.raises(CommandError, match="没有 manifest.json，不是本系统的备份目录"):
        call_command("restore", str(tmp_path / "used"))


def test_check_only_verifies(portal, tmp_path, capsys):
    call_command("backup", str(tmp_path / "b"))
    factories.user(Role.EXPERT, username="added_after_the_backup")
    before_rows = rows()
    capsys.readouterr()
    call_command("restore", str(tmp_path / "b"), "--check")
    assert capsys.readouterr().out.startswith("备份完好：")
    assert rows() == before_rows
