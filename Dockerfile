# hubcms production image: gunicorn serving Django/Wagtail; the same image runs the task worker and
# the scheduler (see docker-compose.yml). Static files are collected at build time, served by whitenoise.

# --- NL Design System CSS (npm) ---
FROM node:22-bookworm-slim AS css
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- the app ---
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=hubcms.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    HUBCMS_EXPORTS_ROOT=/data/exports \
    PORT=8000

# postgresql-client for scripts/backup.sh and restore.sh; libpq for psycopg; no compilers.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client libpq5 sqlite3 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin hubcms
WORKDIR /app

# The dependencies exactly as requirements/lock.txt pins them, each checked against its hash
# (`make lock` regenerates it from pyproject.toml). The app itself is not installed: it runs from
# /app, where its templates and static files live.
COPY requirements/lock.txt ./requirements/lock.txt
RUN pip install --upgrade pip \
    && pip install --require-hashes -r requirements/lock.txt \
    && pip check

COPY --chown=hubcms:hubcms . .
COPY --from=css --chown=hubcms:hubcms /build/node_modules ./node_modules

# collectstatic needs settings but no database or real secret.
RUN SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789 \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 REDIS_URL=redis://build-only:6379/0 \
    python manage.py collectstatic --no-input --verbosity 0 \
    && mkdir -p /data/media /data/exports /app/backups \
    && chown -R hubcms:hubcms /data /app/backups

USER hubcms
EXPOSE 8000
VOLUME ["/data/media", "/data/exports"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os,urllib.request,sys; r=urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:%s/healthz' % os.environ.get('PORT','8000'), headers={'Host': 'localhost'}), timeout=4); sys.exit(0 if r.status == 200 else 1)"

# Several workers per container; scale out with more containers behind the load balancer.
CMD ["sh", "-c", "exec gunicorn hubcms.wsgi:application --bind 0.0.0.0:${PORT} --workers ${GUNICORN_WORKERS:-3} --threads ${GUNICORN_THREADS:-2} --timeout ${GUNICORN_TIMEOUT:-30} --max-requests 1000 --max-requests-jitter 100 --access-logfile - --forwarded-allow-ips='*'"]
