"""The task worker: the database queue's db_worker, or an RQ worker, with a heartbeat beside it.

systemd runs it as zhenjiang-worker.service (deploy/); `make run` starts one beside runserver. A worker that does not
stop: `kill -USR1 PID` writes the stack of each of its threads to its output (the journal), for the report.
"""

import faulthandler
import signal

import weasyprint  # noqa: F401 — the renders' library, loaded once here: RQ forks a process per task, which then has it
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.crypto import get_random_string
from django_rq.utils import reset_db_connections
from django_rq.workers import get_worker
from django_tasks.base import DEFAULT_TASK_QUEUE_NAME
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_rq import RQBackend
from django_tasks_rq.backend import Job as RQJob

from operations import background, workers

# RQ's scheduler (which queues the retries that wait, background.retry_delay) runs beside one worker; when that
# worker dies, another takes it over at its next maintenance round: every minute rather than RQ's ten.
RQ_MAINTENANCE_SECONDS = 60


class Command(BaseCommand):
    help = "运行后台任务进程（按 TASKS_BACKEND 使用数据库队列或 Redis 队列），并定时写入心跳"

    def add_arguments(self, parser):
        parser.add_argument("--queue", default=DEFAULT_TASK_QUEUE_NAME, help="处理的队列（默认 %(default)s）")
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒，仅数据库队列）")
        parser.add_argument("--worker-id", default="", help="进程标识，在所有服务器上唯一（默认随机生成）")

    def handle(self, *args, queue, interval, worker_id, **options):
        faulthandler.register(signal.SIGUSR1, all_threads=True)
        backend = background.default_backend()
        worker_id = worker_id or get_random_string(32)
        if isinstance(backend, DatabaseBackend):
            run, name, rq_queue = self._database_worker(backend, queue, interval, worker_id), "database", None
        elif isinstance(backend, RQBackend):
            run, name, rq_queue = self._rq_worker(queue, worker_id), "rq", queue
        else:
            raise CommandError("当前任务后端（TASKS_BACKEND）在提交任务的进程内直接执行任务，无需运行后台任务进程。")

        workers.make_ready()
        heartbeat = workers.Heartbeat(worker_id, name, queue=rq_queue)
        heartbeat.beat_once()  # before the first claim: tasks left running by a killed worker go back in the queue
        heartbeat.start()
        self.stdout.write(f"后台任务进程已启动：{workers.hostname()} 进程标识 {worker_id}，任务后端 {name}，队列 {queue}")
        try:
            run()
        finally:
            heartbeat.stop()
            workers.leave(worker_id)
            connection.close()

    def _database_worker(self, backend, queue, interval, worker_id):
        worker = DatabaseWorker(
            queue_names=[queue], interval=interval, batch=False, backend_name=backend.alias, startup_delay=True,
            max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        )

        def run():
            worker.configure_signals()  # SIGTERM: finish the running task, then stop
            try:
                worker.run()
            except SystemExit as stop:  # how db_worker ends on a signal; heartbeat and exit code are ours
                if stop.code not in (None, 0):
                    raise

        return run

    def _rq_worker(self, queue, worker_id):
        worker = get_worker(
            queue, job_class=RQJob, name=worker_id, work_horse_killed_handler=background.work_horse_killed,
            maintenance_interval=RQ_MAINTENANCE_SECONDS,
        )

        def run():
            reset_db_connections()  # RQ forks a work horse per task: it must not share our connection
            worker.work(with_scheduler=True)

        return run
