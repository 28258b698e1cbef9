"""Backup and restore of everything the portal keeps: the database and every uploaded or generated file.

A backup is a folder:

    manifest.json        what is in it: database engine, applied migrations, SHA-256 of every file
    database.pgdump      pg_dump --format=custom (PostgreSQL), or
    database.sqlite3     a copy made with SQLite's online backup API
    files/<name>         every file of the default storage (MEDIA_ROOT or the bucket), under its own name

``restore`` checks the whole folder against the manifest, the engine and the schema before it changes
anything, and refuses with the reason. It then writes the files (adding, never deleting) and replaces
the database in one transaction.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from . import clock

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
SKIPPED_FOLDERS = ("healthz",)  # the health check's scratch files
CHUNK = 1024 * 1024


class BackupRefused(Exception):
    """The backup cannot be made or restored; the message says why, in Chinese, and nothing was changed."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- backup ---


def create(directory):
    """Write a backup into ``directory`` (new or empty); return its manifest."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupRefused(f"备份目录 {directory} 不是空目录；请指定一个新目录，以免覆盖已有备份。")
    vendor = _vendor()
    directory.mkdir(parents=True, exist_ok=True)
    directory.chmod(0o700)  # the dump holds password hashes and personal data
    previous_umask = os.umask(0o077)
    try:
        return _write(directory, vendor)
    finally:
        os.umask(previous_umask)


def _write(directory, vendor):
    database_file = directory / DATABASE_FILES[vendor]
    migrations = applied_migrations()
    _dump_database(vendor, database_file)
    files = [_copy_out(name, directory / FILES) for name in stored_files()]
    manifest = {
        "format": FORMAT,
        "created_at": clock.localtime().isoformat(timespec="seconds"),
        "database": {"engine": vendor, "file": database_file.name, "sha256": sha256_of(database_file),
                     "size": database_file.stat().st_size},
        "migrations": migrations,
        "files": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def _vendor():
    if connection.vendor not in DATABASE_FILES:
        raise BackupRefused(f"不支持备份 {connection.vendor} 数据库，仅支持 PostgreSQL 和 SQLite。")
    return connection.vendor


def applied_migrations():
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def stored_files(folder=""):
    """Every file name in the default storage (local disk or bucket), walked folder by folder."""
    folders, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}" if folder else name for name in files]
    for sub in folders:
        path = f"{folder}/{sub}" if folder else sub
        if path not in SKIPPED_FOLDERS:
            names += stored_files(path)
    return sorted(names)


def _copy_out(name, root):
    target = root / name
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as source, open(target, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"name": name, "size": size, "sha256": digest.hexdigest()}


def _dump_database(vendor, target):
    if vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
        return
    _run_postgres_tool(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)])


def _postgres_environment():
    db = connection.settings_dict
    env = dict(os.environ)
    env.update({"PGHOST": db["HOST"] or "", "PGPORT": str(db["PORT"] or ""), "PGUSER": db["USER"] or "",
                "PGDATABASE": db["NAME"]})
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _run_postgres_tool(command, **kwargs):
    if shutil.which(command[0]) is None:
        raise BackupRefused(f"找不到 {command[0]} 命令，请先安装 PostgreSQL 客户端（apt-get install postgresql-client）。")
    result = subprocess.run(command, env=_postgres_environment(), capture_output=True, **kwargs)
    if result.returncode != 0:
        error = result.stderr.decode("utf-8", "replace") if isinstance(result.stderr, bytes) else result.stderr
        raise BackupRefused(f"{command[0]} 执行失败：{error.strip()}")
    return result


# --- restore ---


def _read_manifest(directory):
    """The manifest of a backup of this system's format and database engine, or BackupRefused."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupRefused(f"{directory} 中没有 {MANIFEST}，不是本系统的备份目录。") from None
    except (ValueError, UnicodeDecodeError):
        raise BackupRefused(f"{directory / MANIFEST} 已损坏，无法读取。") from None
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"备份格式版本为 {manifest.get('format')}，本系统只能恢复格式版本 {FORMAT} 的备份。")
    engine, vendor = manifest["database"]["engine"], _vendor()
    if engine != vendor:
        raise BackupRefused(f"备份来自 {engine_name(engine)} 数据库，当前系统使用 {engine_name(vendor)}，不能直接恢复。")
    return manifest


def _refuse_a_newer_schema(manifest):
    """A migration this code does not have, of an app it runs, means the backup's schema is newer. (Apps not installed
    here, e.g. django_rq on a server without Redis, have tables that do no harm.)"""
    installed = {config.label for config in apps.get_app_configs()}
    unknown = sorted(
        migration for migration in set(manifest["migrations"]) - known_migrations()
        if migration.split(".", 1)[0] in installed
    )
    if unknown:
        listed = "、".join(unknown[:5]) + ("等" if len(unknown) > 5 else "")
        raise BackupRefused(
            f"备份来自较新版本的系统：其数据库包含本系统没有的 {len(unknown)} 个数据库迁移（{listed}）。"
            "请先将本系统升级到不低于备份时的版本，再恢复。"
        )


def _damaged(directory, manifest):
    """Every file of the manifest that is missing, unsafely named or not what was backed up."""
    problems = []
    database_file = directory / manifest["database"]["file"]
    if not database_file.is_file():
        problems.append(f"缺少数据库文件 {database_file.name}")
    elif sha256_of(database_file) != manifest["database"]["sha256"]:
        problems.append(f"数据库文件 {database_file.name} 的 SHA-256 与清单不符")
    for entry in manifest["files"]:
        name = entry["name"]
        if not _is_safe_name(name):
            problems.append(f"清单中的文件名不安全：{name}")
            continue
        path = directory / FILES / name
        if not path.is_file():
            problems.append(f"缺少文件 {FILES}/{name}")
        elif path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            problems.append(f"文件 {FILES}/{name} 的 SHA-256 与清单不符")
    return problems


def verify(directory):
    """Check a backup folder completely; return its manifest, or raise BackupRefused with every reason."""
    directory = Path(directory)
    manifest = _read_manifest(directory)
    _refuse_a_newer_schema(manifest)
    problems = _damaged(directory, manifest)
    if problems:
        shown = "；".join(problems[:10]) + (f"；另有 {len(problems) - 10} 处问题" if len(problems) > 10 else "")
        raise BackupRefused(f"备份已损坏或不完整，未做任何更改：{shown}。")
    return manifest


def known_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {f"{app}.{name}" for app, name in loader.disk_migrations}


def pending_migrations():
    """What `migrate` would apply to the current database, in order, as (migration, backwards) pairs: a squashed
    migration counts as applied where all it replaces is (a backup from before the squash lists only those)."""
    executor = MigrationExecutor(connection)
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def engine_name(vendor):
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(vendor, vendor)


def _is_safe_name(name):
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def existing_users():
    """How many accounts the current database holds (0 when it is empty or not even migrated)."""
    User = get_user_model()
    if User._meta.db_table not in connection.introspection.table_names():
        return 0
    return User.objects.count()


def restore(directory, *, replace=False):
    """Restore a verified backup; refuse (changing nothing) if it does not verify or would overwrite data unasked."""
    directory = Path(directory)
    manifest = verify(directory)
    users = existing_users()
    if users and not replace:
        raise BackupRefused(
            f"当前数据库已有数据（{users} 个账户）。恢复会用备份整体替换现有数据库；确认无误后加 --replace 重新运行。"
        )
    for entry in manifest["files"]:
        _copy_in(entry["name"], directory / FILES / entry["name"])
    database_file = directory / manifest["database"]["file"]
    if manifest["database"]["engine"] == "sqlite":
        _restore_sqlite(database_file)
    else:
        _restore_postgres(database_file)
    return manifest


def _copy_in(name, path):
    if default_storage.exists(name):
        default_storage.delete(name)
    with open(path, "rb") as handle:
        saved = default_storage.save(name, File(handle))
    if saved != name:
        raise BackupRefused(f"文件 {name} 写入存储后名称变为 {saved}，恢复中止（数据库尚未改动）。")


def _restore_sqlite(database_file):
    connection.ensure_connection()
    with sqlite3.connect(database_file) as source:
        source.backup(connection.connection)  # replaces every page of the live database at once
    source.close()


def _restore_postgres(database_file):
    """Drop every table, then load the dump, all in one psql transaction: on any error nothing changes."""
    script = _run_postgres_tool(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file", "-", str(database_file)]
    ).stdout
    tables = connection.introspection.table_names()
    drop = "".join(f"DROP TABLE IF EXISTS {connection.ops.quote_name(t)} CASCADE;\n" for t in tables).encode()
    connection.close()  # psql needs the tables without our locks
    _run_postgres_tool(
        ["psql", "--quiet", "--no-psqlrc", "--single-transaction", "--set", "ON_ERROR_STOP=1", "--file", "-"],
        input=drop + script,
    )
