# effviz, CPU-only. Build: docker build -t effviz .   Run: docker run -p 8501:8501 effviz
# A class from one container (N workers behind HAProxy, see README "Serving a class"):
#   docker run -p 8501:8501 effviz python deploy/serve.py --workers 4
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TORCH_HOME=/app/.torch
WORKDIR /app

# CPU wheels of torch/torchvision (PyPI's Linux wheels carry CUDA: gigabytes a CPU server never uses).
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
# HAProxy (a few MB) so that the same image can also serve a class with deploy/serve.py.
RUN apt-get update && apt-get install -y --no-install-recommends haproxy && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
COPY deploy/requirements.txt deploy/requirements.txt
RUN pip install --index-url "$TORCH_INDEX_URL" "torch>=2.4,<=2.14.1" "torchvision>=0.19,<=0.29.1" \
 && pip install -r requirements.txt -r deploy/requirements.txt

COPY . .
# Bake ResNet-50's ImageNet weights into the image when the build has a network; without one the app falls
# back to EfficientNet-Lite0's bundled ImageNet weights and says so.
RUN python -m effviz.redundancy.weights fetch resnet50 || echo "ResNet-50 weights not fetched; the offline fallback will be used"

RUN useradd --create-home effviz && chown -R effviz /app
USER effviz
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"
CMD ["streamlit", "run", "app.py", "--server.address=0.0.0.0", "--server.port=8501"]
