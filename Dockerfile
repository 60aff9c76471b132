# Khabri: the Telegram bot, with its seeds, on a slim Python; the store lives on a volume.
FROM python:3.11-slim

# No .pyc written at run time (the code is read-only for the bot's user); the ones pip compiles at
# install time stay, so a container starts without recompiling anything.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    KHABRI_DB=/data/khabri.db \
    NUMBA_CACHE_DIR=/var/cache/khabri/numba

# FreeDict's English-Hindi dictionary (GPL-2+), which the bot reads to translate English words of a
# question (KHABRI_DICTIONARY); Debian's package, not part of Khabri.
RUN apt-get update \
    && apt-get install -y --no-install-recommends dict-freedict-eng-hin \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY retrieval ./retrieval
COPY storage ./storage
COPY seeds ./seeds
# The same install the README uses, without the test extra. Every step is joined with &&, so a
# failed install fails the build instead of leaving an image without Khabri.
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /app khabri \
    && mkdir -p /data /var/cache/khabri \
    && chown khabri /data /var/cache/khabri

USER khabri
# Compile the search loops (numba) once, here, into the cache the bot reads at start-up.
RUN khabri ask "ममता बनर्जी कोलकाता" --db /tmp/warm.db > /dev/null && rm -f /tmp/warm.db*
VOLUME ["/data"]
# Webhook mode listens here (khabri run --webhook URL --listen 0.0.0.0:8443).
EXPOSE 8443
# Without TELEGRAM_BOT_TOKEN this is the terminal chat, which needs `docker run -it`; without
# either it exits 2 and says so.
CMD ["khabri", "run"]
