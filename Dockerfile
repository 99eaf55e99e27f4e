# The Partenariat Live app, one process per container; docker-compose.yml runs several behind nginx.
# Debian-based, like the machines the tests run on.
FROM python:3.11-slim-bookworm

# PNG images and the PDF report drive a Chromium found on the machine (kaleido), as on Debian.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium \
    && rm -rf /var/lib/apt/lists/*
ENV BROWSER_PATH=/usr/bin/chromium \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .

# Not root; the data folder (pseudonym key, passcode file) is a volume shared by every replica.
RUN useradd --system --uid 10001 --no-create-home partenariat \
    && mkdir -p /data && chown partenariat /data
USER partenariat
ENV PARTENARIAT_DATA_DIR=/data

EXPOSE 8501
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python3", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=2).read() != b'ok')"]
CMD ["python3", "serve.py", "--server.port", "8501", "--server.address", "0.0.0.0", "--server.headless", "true"]
