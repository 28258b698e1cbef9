"""CPU per request of a few pages in this process, through the WSGI handler gunicorn calls (no server, no wrk):
a quick, quieter measure than `make bench` while changing code.

    python -m benchmarks.cputime bench_city /bench/bare/ /bench/signed-in/ [...]

Uses the database `make bench` left (BENCH_DATABASE_URL). Prints ms of CPU per request, and the ratio to the first.
"""

import io
import os
import sys
import time

from benchmarks import overview


def environ(path, cookie):
    return {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
        "HTTP_COOKIE": cookie, "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
    }


def cpu_ms(handler, path, cookie, count):
    def one():
        status = []
        body = b"".join(handler(environ(path, cookie), lambda s, h, *a: status.append(s)))
        assert status[0].startswith("200"), (path, status[0])
        return body

    for _ in range(5):
        one()
    started = time.process_time()
    for _ in range(count):
        one()
    return (time.process_time() - started) * 1000 / count


def main(username, paths, count):
    overview.configure()
    # Imported only now: the settings come from the environment overview.configure() set.
    from django.contrib.auth import get_user_model
    from django.core.handlers.wsgi import WSGIHandler

    user = get_user_model().objects.get(username=username)
    cookie = overview.sessions(user, 1)[0]
    handler = WSGIHandler()
    first = None
    for path in paths:
        ms = cpu_ms(handler, path, cookie, count)
        first = first or ms
        print(f"{ms:7.2f} ms  {ms / first:5.1f}×  {path}", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/zj_perf_bench")
    count = int(os.environ.get("COUNT", "200"))
    main(sys.argv[1], sys.argv[2:], count)
