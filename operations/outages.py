"""An outage of a service the portal depends on, told apart from a fault of the portal itself.

With several servers the database, the cache and task queue (Redis) and the file storage (an S3 bucket)
are other machines, and each can be away for a while: a restart, a failover, a network cut. A request that
meets such an outage is answered 503 with a page that says which service is away and that nothing saved is
lost (operations.views.server_error), never 500; an upload that cannot reach the bucket is refused beside
its field with UPLOAD_UNAVAILABLE, and nothing of it is kept.
"""

from botocore.exceptions import BotoCoreError, ClientError
from django.db import InterfaceError, OperationalError

DATABASE_DOWN = "数据库暂时不可用，本次操作可能没有完成。"
STORAGE_DOWN = "文件存储服务暂时无法连接，文件暂时不能上传或下载。"
UPLOAD_UNAVAILABLE = "文件存储服务暂时无法连接，附件没有保存（也没有留下不完整的文件）。请稍后重新选择文件上传；如持续出现，请联系系统管理员。"


def storage_unreachable(error):
    """Whether ``error`` says that the bucket could not be reached, rather than that a file is missing.

    botocore raises BotoCoreError subclasses for connections refused, timeouts and broken transfers, and
    ClientError for what the server answered: a 5xx (MinIO restarting, "SlowDown") is an outage too.
    """
    if isinstance(error, BotoCoreError):
        return True
    if isinstance(error, ClientError):
        return error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500
    return False


def database_unreachable(error):
    """Django's wrapping of the driver's errors for a connection refused or cut (and for a lock given up on)."""
    return isinstance(error, (OperationalError, InterfaceError))


def reason(error):
    """What the 503 page tells the user about ``error`` (or what it was raised from); None for anything else."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if database_unreachable(error):
            return DATABASE_DOWN
        if storage_unreachable(error):
            return STORAGE_DOWN
        error = error.__cause__ or error.__context__
    return None
