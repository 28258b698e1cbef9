#!/bin/sh
# $1: TRUSTED_PROXIES. Run from the portal's checkout (PORTAL_DIR, default: the current directory);
# LB_DATABASE_URL: a migrated database (default zj_lb on the local PostgreSQL).
cd "${PORTAL_DIR:-$PWD}"
export DEBUG=0 SECRET_KEY=lb-trial-secret-key-0123456789-not-published ALLOWED_HOSTS=127.0.0.1 \
  DATABASE_URL="${LB_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/zj_lb}" SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 \
  CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0 BEHIND_TLS_PROXY=1 TRUSTED_PROXIES="$1" CSRF_TRUSTED_ORIGINS=http://127.0.0.1 \
  LOG_LEVEL=WARNING SITE_URL=http://127.0.0.1
exec .venv/bin/gunicorn zhenjiang_consortia.wsgi:application --bind 127.0.0.1:8701 --workers 2 --pid /tmp/zj-lb/gunicorn.pid
