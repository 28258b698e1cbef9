"""System checks (`manage.py check --deploy`) for a portal run on several servers.

TASKS_BACKEND=rq is the setting of several servers (deploy/README.md, 两台及以上服务器): each of them must then
see the same files and the same cache, or what one server stored or renewed is missing or stale on the other.
"""

from django.conf import settings
from django.core.checks import Warning, register


@register(deploy=True)
def several_servers(app_configs, **kwargs):
    if settings.TASKS_BACKEND != "rq":
        return []
    found = []
    if settings.MEDIA_STORAGE == "local":
        found.append(Warning(
            "任务队列在 Redis 上（TASKS_BACKEND=rq，多台服务器），上传文件和打印文件却存在本机磁盘（MEDIA_STORAGE=local）："
            "另一台服务器上的用户和后台任务进程找不到这些文件。",
            hint="设置 MEDIA_STORAGE=s3 和 S3_ENDPOINT_URL、S3_BUCKET 等（见 deploy/README.md）。", id="operations.W001",
        ))
    if settings.CACHE_BACKEND == "locmem":
        found.append(Warning(
            "任务队列在 Redis 上（TASKS_BACKEND=rq，多台服务器），缓存却是每个进程各自的（CACHE_BACKEND=locmem）："
            f"备案或取消资格后，其他服务器上的公示名单最多 {settings.PUBLIC_LIST_CACHE_SECONDS} 秒后才更新。",
            hint="设置 CACHE_BACKEND=redis 和 CACHE_REDIS_URL（见 deploy/README.md）。", id="operations.W002",
        ))
    return found
