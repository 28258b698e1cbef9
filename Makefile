# Two commands do all set-up on a fresh Debian/Ubuntu machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SYSTEM_PACKAGES := fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) chromium poppler-utils postgresql-client redis-server
# `make trial-cluster` runs a PostgreSQL, a Redis and an nginx of its own (never the system's services).
TRIAL_SYSTEM_PACKAGES := $(SYSTEM_PACKAGES) postgresql redis-server nginx
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: bench bench-rush bench-dossier run test test-fast system-packages test-system-packages migrate demo lint clean trial-cluster

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

# Installs what WeasyPrint and the browser tests need when run as root; otherwise says what to run. The notices'
# free 公文 faces (FandolSong, FandolFang, FandolHei) are taken out of Debian's texlive-lang-chinese package
# (scripts/ensure-fandol-fonts): installing the package itself would bring all of TeX Live.
system-packages:
	@./scripts/ensure-system-packages $(SYSTEM_PACKAGES)
	@./scripts/ensure-fandol-fonts

test-system-packages:
	@./scripts/ensure-system-packages $(TEST_SYSTEM_PACKAGES)
	@./scripts/ensure-fandol-fonts

# Development targets run with DEBUG=1: production settings refuse to start without a SECRET_KEY.
migrate: $(VENV)/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo

# The web server, one task worker (renders, e-mail) and the scheduler; Ctrl-C stops all three.
run: $(VENV)/.installed system-packages demo
	@echo "镇江市创新联合体平台：http://$(HOST):$(PORT)/（后台任务进程与定时任务同时运行，Ctrl-C 一并停止）"
	DEBUG=1 HOST=$(HOST) PORT=$(PORT) ./scripts/run-dev

# SQLite by default; PostgreSQL when DATABASE_URL is set (a test database per worker is created and dropped).
# On every core (pytest-xdist; TEST_WORKERS=1 for one process), the tests handed out by work stealing: a worker that
# runs out takes the waiting tests of the other, so that the long browser and process tests do not end on one of them.
TEST_WORKERS ?= auto
test: $(VENV)/.installed test-system-packages
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# The quick loop while coding: no browser, no separate process, no printed PDF (tests marked slow; see tests/conftest.py).
# On SQLite each worker starts from the migrated database an earlier run kept (tests/conftest.py, django_db_setup).
test-fast: $(VENV)/.installed
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal -m "not slow" $(PYTEST_ARGS)

# The layers (import-linter, exhaustive per app), ruff (with complexity held at 12) and the code written twice.
lint: $(VENV)/.installed
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .
	./scripts/check-duplicates

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles

# Speed and memory of the printed dossier, as one JSON line (see benchmarks/dossier.py).
bench-dossier: $(VENV)/.installed system-packages
	$(PY) -m benchmarks.dossier

# The bureaus' pages under load (gunicorn, 2 workers; wrk, 8 connections) on PostgreSQL, one JSON line per
# page (see benchmarks/overview.py). Its own database: BENCH_DATABASE_URL (default …/zj_bench), dropped first.
bench: $(VENV)/.installed system-packages
	@./scripts/ensure-system-packages wrk
	$(PY) -m benchmarks.overview

# A deadline hour played 12 times faster (gunicorn, 4 workers as deploy/ runs it; one task worker): 200 applicants
# editing, uploading and submitting, 50 leads' annual reports, 10 staff, 20 dossiers asked at once; one JSON line per
# action, then every write compared with the database; exits 1 when a target is missed (see benchmarks/rush.py).
# Its own database: BENCH_DATABASE_URL (default …/zj_rush_bench), dropped first. Under 10 minutes.
bench-rush: $(VENV)/.installed system-packages
	$(PY) -m benchmarks.rush

# Two app servers behind nginx, with a PostgreSQL, Redis and S3 server (moto_server) of its own on loopback ports,
# through five faults: one line per fault with requests sent, failed, lost and applied twice (deploy/README.md,
# 两台及以上服务器; benchmarks/cluster/). About 6 minutes; stops everything it started. Not run by CI.
trial-cluster: $(VENV)/.installed
	@./scripts/ensure-system-packages $(TRIAL_SYSTEM_PACKAGES)
	./scripts/trial-cluster
