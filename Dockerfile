# Kaspi → amoCRM Sync, headless: `kaspi-amo run` with the metrics/health endpoint.
# Build: docker build -t kaspi-amo-sync .   Run: see compose.yaml and docs/deploy.md.
# No secret is baked in: tokens come from the environment at run time and are kept in the
# KASPI_AMO_HOME volume (a file readable only by the app's user: a container has no keyring).
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: the app and its dependencies in a virtual environment ---------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY app ./app
RUN python -m venv /opt/kaspi-amo \
    && /opt/kaspi-amo/bin/pip install --no-cache-dir ".[postgres]" \
    && /opt/kaspi-amo/bin/kaspi-amo --version \
    && /opt/kaspi-amo/bin/python -c "import app.service.server, psycopg"

# --- runtime: the same slim base, the venv only, an unprivileged user ------------------------
FROM ${PYTHON_IMAGE}
LABEL org.opencontainers.image.title="kaspi-amo-sync" \
      org.opencontainers.image.description="Kaspi.kz orders become amoCRM deals (headless daemon)"
RUN groupadd --system --gid 10001 kaspi-amo \
    && useradd --system --uid 10001 --gid kaspi-amo --home-dir /data --no-create-home --shell /usr/sbin/nologin kaspi-amo \
    && mkdir -p /data \
    && chown kaspi-amo:kaspi-amo /data \
    && chmod 0700 /data
COPY --from=build /opt/kaspi-amo /opt/kaspi-amo
# KASPI_AMO_SECRETS is a storage mode (a 0600 file in the volume), not a secret
# hadolint ignore=DL3064
ENV PATH=/opt/kaspi-amo/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    KASPI_AMO_HOME=/data \
    KASPI_AMO_SECRETS=file \
    KASPI_AMO_HTTP=127.0.0.1:9464
VOLUME ["/data"]
USER 10001:10001
WORKDIR /data
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-m", "app.service.probe"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["kaspi-amo"]
CMD ["run"]
