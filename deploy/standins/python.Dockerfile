# TEST STAND-IN for python:3.11-slim, built from Debian bookworm's python3 (3.11) because no image registry is
# reachable here. Like the official image: `python` and `pip` on PATH, pip may install into the system Python.
ARG BASE_IMAGE
FROM ${BASE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv python3-pip wget \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* \
 && ln -s /usr/bin/python3 /usr/local/bin/python
ENV PIP_BREAK_SYSTEM_PACKAGES=1 PIP_NO_CACHE_DIR=1 LANG=C.UTF-8
CMD ["python3"]
