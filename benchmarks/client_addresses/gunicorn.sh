#!/bin/sh
# $1: TRUSTED_PROXIES
cd /work/wt-security
export DEBUG=0 SECRET_KEY=lb-trial-secret-key-0123456789-not-published ALLOWED_HOSTS=127.0.0.1 \
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/zj_security SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 \
  CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 BEHIND_TLS_PROXY=1 TRUSTED_PROXIES="$1" CSRF_TRUSTED_ORIGINS=http://127.0.0.1 \
  LOG_LEVEL=WARNING
exec .venv/bin/gunicorn zhenjiang_consortia.wsgi:application --bind 127.0.0.1:8701 --workers 2 --pid /tmp/zj-lb/gunicorn.pid
