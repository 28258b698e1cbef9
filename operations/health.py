"""What the load balancer asks at /healthz: can this server do its work right now?"""

import os
import socket

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from . import background, clock, workers


def database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return False, f"数据库不可用：{type(error).__name__}: {error}"
    return True, "数据库可用"


def worker():
    if not background.uses_worker():
        return True, "任务在提交它的进程内直接执行，无需后台任务进程"
    try:
        seen_at = workers.latest_heartbeat()
    except Exception as error:
        return False, f"无法读取后台任务进程心跳：{type(error).__name__}"
    if seen_at is None:
        return False, "没有正在运行的后台任务进程（没有任何心跳记录）"
    ago = int((clock.now() - seen_at).total_seconds())
    if seen_at < clock.now() - workers.HEALTHY_WITHIN:
        return False, f"后台任务进程已停止：最近一次心跳在 {ago} 秒前"
    return True, f"后台任务进程运行中（最近一次心跳在 {ago} 秒前）"


def storage():
    """Write and delete a small file where uploads go: the local disk or the bucket."""
    name = f"healthz/{socket.gethostname()}-{os.getpid()}.txt"
    try:
        saved = default_storage.save(name, ContentFile(clock.now().isoformat().encode()))
        default_storage.delete(saved)
    except Exception as error:
        return False, f"文件存储不可写：{type(error).__name__}: {error}"
    return True, "文件存储可写"


CHECKS = {"database": database, "worker": worker, "storage": storage}


def report():
    """(healthy, {check: {"ok": bool, "detail": str}})."""
    results = {}
    for name, check in CHECKS.items():
        ok, detail = check()
        results[name] = {"ok": ok, "detail": detail}
    return all(result["ok"] for result in results.values()), results
