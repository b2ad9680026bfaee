# Trekbot's image: Python slim, dependencies pinned by requirements.lock (with hashes), run as
# an unprivileged user. `docker compose up` (compose.yaml) runs it behind Caddy; see the
# README, "Deploy".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# The lock first: the dependency layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY conversations ./conversations
COPY planner ./planner
COPY storage ./storage
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /data --create-home trekbot

USER trekbot
WORKDIR /data
ENV TREKBOT_HOST=0.0.0.0 \
    TREKBOT_PORT=8080
EXPOSE 8080

# /healthz answers while the process is alive (in every mode, polling included).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('TREKBOT_PORT', '8080') + '/healthz', timeout=4)"]

ENTRYPOINT ["trekbot"]
CMD ["run"]
