# Activation Lab, CPU only.
#   docker build -t activation-lab .
#   docker run --rm -p 8501:8501 activation-lab        # then open http://localhost:8501
# docs/deploy.md explains each setting below, the Hugging Face Space and how to scale.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Korean glyphs (issue 11): Debian's Noto CJK fonts in the image, so that anything rendered on the server (a
# headless browser for screenshots, a PNG export) has them. Charts in a learner's browser use that browser's fonts.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-noto-cjk \
 && rm -rf /var/lib/apt/lists/*

# PyTorch first, from its CPU-only index: PyPI's torch for Linux x86-64 is the CUDA build, several GB of NVIDIA
# libraries this app never uses. requirements.txt's "torch==2.13.0" is then already met (a pin without a local
# label such as +cpu matches 2.13.0+cpu), so the second step adds streamlit, plotly, numpy and babel from PyPI.
COPY requirements.txt /tmp/requirements.txt
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0+cpu \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# Production settings. Environment variables take precedence over .streamlit/config.toml (which holds the
# settings that are right everywhere); override any of them with docker run -e NAME=value.
# OMP_NUM_THREADS=1: one thread per PyTorch run, so concurrent learners' runs share the cores instead of
# fighting over them (two threads on a busy core made a run many times slower, measured).
ENV STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION=true \
    STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=none \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    OMP_NUM_THREADS=1

# A non-root user, uid 1000 (the one Hugging Face Spaces runs containers as), named by number so that a
# runtime can check it is not root (e.g. Kubernetes' runAsNonRoot). The code stays owned by root: the app
# only reads it.
RUN groupadd --gid 1000 app && useradd --create-home --uid 1000 --gid 1000 app
WORKDIR /app
COPY . .
USER 1000:1000

EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://localhost:8501/_stcore/health', timeout=4)"]
CMD ["streamlit", "run", "app.py", "--server.port", "8501", "--server.address", "0.0.0.0"]
