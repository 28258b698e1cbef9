"""Settings that refuse to run unsafe, and the security headers every page carries."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests import factories

ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
REFUSAL = ("生产环境（DEBUG=0）必须在环境变量 SECRET_KEY 中设置一个保密的随机密钥，不能留空或使用仓库中公开的开发密钥。"
           " / SECRET_KEY must be set to a private random value when DEBUG is off; the development key is public.")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PERMISSIONS = ("accelerometer=(), autoplay=(), bluetooth=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
               "hid=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), "
               "screen-wake-lock=(), serial=(), usb=(), xr-spatial-tracking=()")

# Laid out by WeasyPrint into PDFs, never sent to a browser: no Content-Security-Policy applies.
PRINT_ONLY = {"dossier/book.html", "dossier/copy_labels.html", "dossier/_cover.html", "dossier/_toc.html",
              "dossier/_notes.html", "dossier/_part_basic.html", "dossier/_part_plan.html", "dossier/_part_intros.html",
              "dossier/_part_charter.html", "dossier/_part_attachments.html", "dossier/_unit_intro.html", "dossier/_organisation.html",
              "reviews/notice.html", "reviews/appraisal_opinion.html",
              "notices/base.html", "evaluations/report_pdf.html", "evaluations/grading_notice.html",
              "evaluations/revocation_notice.html"}


SITE_URL_REFUSAL = ("生产环境（DEBUG=0）必须在环境变量 SITE_URL 中设置平台的访问地址（如 https://kjj.zhenjiang.gov.cn），"
                    "通知邮件中的链接和打印文件上的核验地址都取自该设置。"
                    " / SITE_URL must be set to the portal's address (http:// or https://) when DEBUG is off.")


def settings_value(name, **environment):
    """A setting as the portal would read it from ``environment`` (a variable given as None is left unset)."""
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG", "SITE_URL", *environment}}
    env.update({key: value for key, value in environment.items() if value is not None})
    return subprocess.run(
        [sys.executable, "-c", f"import zhenjiang_consortia.settings as s; print(s.{name})"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("key", [None, "", DEVELOPMENT_KEY])
def test_production_settings_refuse_to_start_without_a_private_secret_key(key):
    environment = {"DEBUG": "0"} if key is None else {"DEBUG": "0", "SECRET_KEY": key}
    result = settings_value("SECRET_KEY", **environment)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"django.core.exceptions.ImproperlyConfigured: {REFUSAL}"


@pytest.mark.parametrize("site_url", [None, "", "kjj.zhenjiang.gov.cn", "https://"])
def test_production_settings_refuse_to_start_without_the_portals_address(site_url):
    """Every printed code and e-mailed link is built on SITE_URL: without it they would send readers to 127.0.0.1."""
    environment = {"DEBUG": "0", "SECRET_KEY": "a-private-key"} | ({} if site_url is None else {"SITE_URL": site_url})
    result = settings_value("SITE_URL", **environment)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == f"django.core.exceptions.ImproperlyConfigured: {SITE_URL_REFUSAL}"


def test_the_portals_address_is_taken_as_given_in_production_and_defaults_to_this_machine_in_development():
    production = settings_value("SITE_URL", DEBUG="0", SECRET_KEY="a-private-key", SITE_URL="https://kjj.zhenjiang.gov.cn/")
    assert production.stdout.strip() == "https://kjj.zhenjiang.gov.cn"
    assert settings_value("SITE_URL", DEBUG="1").stdout.strip() == "http://127.0.0.1:8000"


def test_development_runs_with_the_published_key_and_production_with_its_own():
    assert settings_value("SECRET_KEY", DEBUG="1").stdout.strip() == DEVELOPMENT_KEY
    assert settings_value("SECRET_KEY", DEBUG="0", SECRET_KEY="a-private-key",
                          SITE_URL="https://kjj.zhenjiang.gov.cn").stdout.strip() == "a-private-key"


def test_a_trusted_proxy_that_is_not_an_address_stops_the_portal_from_starting():
    result = settings_value("TRUSTED_PROXIES", DEBUG="1", TRUSTED_PROXIES="127.0.0.1,balancer.example")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: "
        "TRUSTED_PROXIES 只能列出网络地址或网段（如 127.0.0.1,10.0.0.0/24），“balancer.example”不是。"
    )


def test_behind_the_tls_proxy_the_nginx_on_the_same_server_is_trusted_unless_the_proxies_are_named():
    for behind, trusted in [("1", "['127.0.0.1', '::1']"), ("0", "[]")]:
        result = settings_value("TRUSTED_PROXIES", DEBUG="1", BEHIND_TLS_PROXY=behind, TRUSTED_PROXIES=None)
        assert result.stdout.strip() == trusted
    named = settings_value("TRUSTED_PROXIES", DEBUG="1", BEHIND_TLS_PROXY="1", TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/24")
    assert named.stdout.strip() == "['127.0.0.1', '10.0.0.0/24']"


def test_the_smtp_timeout_defaults_to_ten_seconds_and_follows_the_environment():
    assert settings_value("EMAIL_TIMEOUT", DEBUG="1").stdout.strip() == "10"
    assert settings_value("EMAIL_TIMEOUT", DEBUG="1", EMAIL_TIMEOUT="3").stdout.strip() == "3"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, Role.SYSTEM_ADMIN])
def test_every_page_carries_the_content_security_policy_and_the_other_headers(client, role):
    if role:
        client.force_login(factories.user(role))
    for url in (reverse("accounts:login"), "/admin/accounts/user/" if role else "/no/such/page/"):
        response = client.get(url)
        # django-csp writes the directives in no fixed order
        assert set(response["Content-Security-Policy"].split("; ")) == set(CSP.split("; ")), url
        assert response["Permissions-Policy"] == PERMISSIONS, url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Content-Type-Options"] == "nosniff", url


def test_no_page_template_has_inline_script_event_handler_or_style_attribute():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    style = re.compile(r"\sstyle\s*=|<style", re.IGNORECASE)
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT / "templates").as_posix()
        text = path.read_text()
        for pattern, what in ((inline_script, "inline script"), (handler, "on…= handler"), (style, "style")):
            if pattern.search(text) and not (what == "style" and name in PRINT_ONLY):
                offenders.append(f"{name}: {what}")
    assert offenders == []


def collector(module):
    """The garbage collector's thresholds, and whether objects were frozen, in a new interpreter that imported ``module``."""
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "SITE_URL", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import gc, {module}; print(*gc.get_threshold(), gc.get_freeze_count() > 10_000)"],
        cwd=ROOT, env={**env, "DEBUG": "1"}, capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.split()


def test_the_server_freezes_what_it_loaded_and_collects_its_youngest_objects_every_7000():
    """zhenjiang_consortia.wsgi (what gunicorn loads): the app's own objects are never walked again by a collection, and
    a page's short-lived objects are collected ten times less often; a process that only reads the settings is left as
    Python sets it."""
    assert collector("zhenjiang_consortia.wsgi") == ["7000", "10", "10", "True"]
    assert collector("zhenjiang_consortia.settings") == ["700", "10", "10", "False"]


def loads_weasyprint(code):
    """Whether WeasyPrint is in memory after ``code`` ran in a new interpreter (the development settings)."""
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "SITE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", f"import os, sys; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'zhenjiang_consortia.settings'); "
                               f"{code}; print('weasyprint' in sys.modules)"],
        cwd=ROOT, env={**env, "DEBUG": "1"}, capture_output=True, text=True, timeout=60, check=True,
    )
    return result.stdout.split()[-1]


@pytest.mark.slow  # starts processes
def test_only_the_task_worker_loads_the_pdf_library():
    """A web server (what gunicorn loads, with every URL and view) and a command leave WeasyPrint out — 0.38 s to load
    and some 17 MB of each process's own memory —; the task worker, which prints, loads it before it forks a process
    per task."""
    assert loads_weasyprint("import zhenjiang_consortia.wsgi; from django.urls import reverse; reverse('accounts:login')") == "False"
    assert loads_weasyprint("import django; django.setup(); import operations.management.commands.run_worker") == "True"
