#!/usr/bin/env bash
# Single-node Apache Kafka (KRaft, broker+controller in one JVM) for dev and CI, without Docker.
# The broker jars come from Maven Central via pom.xml; see README.md in this folder.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: kafka.sh <command>

  fetch     download the broker jars into .cache/libs (skipped when already cached)
  start     start the broker and wait until clients can use it (no-op when running)
  stop      stop the broker (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT seconds)
  restart   stop then start, keeping data
  status    print whether the broker runs (exit 0) or not (exit 3)
  logs      tail the broker log (extra args go to tail, e.g. `logs -f`)
  reset     stop and delete the run directory (data, config, logs)
  topics    create the topics in topics.yaml and their dead-letter topics
  smoke     create topics, then produce and consume one message

env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1), KAFKA_HEAP (-Xms256m -Xmx512m),
     KAFKA_OPTS (extra JVM options), KAFKA_RUN_DIR (.run next to this script),
     KAFKA_START_TIMEOUT (90), KAFKA_STOP_TIMEOUT (30), KAFKA_BROKERS (127.0.0.1:KAFKA_PORT), JAVA_HOME
EOF
}

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_DIR="$HERE/.cache"
LIBS_DIR="$CACHE_DIR/libs"
RUN_DIR="${KAFKA_RUN_DIR:-$HERE/.run}"
DATA_DIR="$RUN_DIR/data"
CONFIG="$RUN_DIR/server.properties"
PID_FILE="$RUN_DIR/kafka.pid"
LOG_FILE="$RUN_DIR/kafka.log"
OUT_FILE="$RUN_DIR/kafka.out"
# reset deletes RUN_DIR, so only ever delete a directory that carries this marker.
RUN_MARKER="$RUN_DIR/.kafka-run-dir"

HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
LOCAL="$HOST:$PORT"
# topics and smoke may target any cluster; start/stop/status always mean the local broker.
export KAFKA_BROKERS="${KAFKA_BROKERS:-$LOCAL}"

say() { printf 'kafka: %s\n' "$*"; }
die() { printf 'kafka: error: %s\n' "$*" >&2; exit 1; }

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    printf '%s\n' "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "java not found (Java 17 is needed; set JAVA_HOME or put java on PATH)"
  fi
}

need_node() {
  command -v node >/dev/null 2>&1 || die "node not found (needed for readiness checks and topics)"
}

# A plain connect is enough to tell whether something listens; bash can do it without nc.
port_open() {
  (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null
}

# The pid file alone is not trusted: after a reboot the pid may belong to an unrelated process.
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  ps -ww -p "$pid" -o args= 2>/dev/null | grep -F -- "$CONFIG" | grep -q 'kafka\.Kafka' || return 1
  printf '%s\n' "$pid"
}

rss_mib() {
  local kb
  kb="$(ps -p "$1" -o rss= 2>/dev/null | tr -d ' ' || true)"
  [[ -n "$kb" ]] && printf '%s MiB' "$((kb / 1024))" || printf '?'
}

# Lines kafka.log had before this start, so a failure shows only what this start logged.
LOG_MARK=0

show_log_tail() {
  if [[ -s "$OUT_FILE" ]]; then
    printf '\n--- %s ---\n' "$OUT_FILE"
    tail -n 20 "$OUT_FILE"
  fi
  if [[ -s "$LOG_FILE" ]]; then
    printf '\n--- last lines of %s ---\n' "$LOG_FILE"
    tail -n "+$((LOG_MARK + 1))" "$LOG_FILE" | tail -n 40
  fi
  printf '\n'
} >&2

# Serialises start/stop/reset and fetches between concurrent invocations, e.g. parallel CI steps.
# flock is Linux-only; without it we run unlocked. Fixed fds because bash 3.2 (macOS) lacks {fd}>.
lock_run() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$RUN_DIR/.lock"
  flock -w 300 9 || die "timed out waiting for $RUN_DIR/.lock"
}

lock_cache() {
  command -v flock >/dev/null 2>&1 || return 0
  exec 8>"$CACHE_DIR/.lock"
  flock -w 600 8 || die "timed out waiting for $CACHE_DIR/.lock"
}

cmd_fetch() {
  mkdir -p "$CACHE_DIR"
  # The stamp ties the cached jars to the exact pom that produced them.
  local stamp
  stamp="$(cksum <"$HERE/pom.xml")"
  if [[ -f "$LIBS_DIR/.stamp" && "$(cat "$LIBS_DIR/.stamp")" == "$stamp" ]]; then
    return 0
  fi
  lock_cache
  if [[ -f "$LIBS_DIR/.stamp" && "$(cat "$LIBS_DIR/.stamp")" == "$stamp" ]]; then
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (Maven fetches the broker jars from Maven Central)"
  say "fetching broker jars from Maven Central (first run only)..."
  # Fetch into a scratch dir and swap it in, so an interrupted download never looks cached.
  local tmp="$CACHE_DIR/libs.tmp.$$"
  rm -rf "$tmp"
  if ! mvn -B -q -f "$HERE/pom.xml" dependency:copy-dependencies "-Dlibs.dir=$tmp" \
    >"$CACHE_DIR/fetch.log" 2>&1 </dev/null; then
    rm -rf "$tmp"
    cat "$CACHE_DIR/fetch.log" >&2
    die "could not fetch the broker jars (output above, also in $CACHE_DIR/fetch.log)"
  fi
  printf '%s\n' "$stamp" >"$tmp/.stamp"
  rm -rf "$LIBS_DIR"
  mv "$tmp" "$LIBS_DIR"
  say "cached $(find "$LIBS_DIR" -name '*.jar' | wc -l | tr -d ' ') jars in $LIBS_DIR"
}

write_config() {
  cat >"$CONFIG" <<EOF
# Generated by kafka.sh on every start; edit kafka.sh instead.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$DATA_DIR

# One node: every internal topic has a single replica.
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1

# Tests create consumer groups constantly; do not make each one wait 3 s for more members.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
num.partitions=1
EOF
}

format_storage() {
  # meta.properties is what the broker itself checks to decide whether a log dir is formatted.
  [[ -f "$DATA_DIR/meta.properties" ]] && return 0
  local tool=("$(java_bin)" -cp "$LIBS_DIR/*" "-Dlog4j.configuration=file:$HERE/tools-log4j.properties" kafka.tools.StorageTool)
  local cluster_id
  cluster_id="$("${tool[@]}" random-uuid)" || die "could not generate a cluster id"
  if ! "${tool[@]}" format --config "$CONFIG" --cluster-id "$cluster_id" --ignore-formatted >"$RUN_DIR/format.log" 2>&1; then
    cat "$RUN_DIR/format.log" >&2
    die "formatting $DATA_DIR failed"
  fi
  say "formatted $DATA_DIR (cluster id $cluster_id)"
}

cmd_start() {
  if [[ -d "$RUN_DIR" && ! -f "$RUN_MARKER" && -n "$(ls -A "$RUN_DIR")" ]]; then
    die "$RUN_DIR is not empty and was not created by kafka.sh; choose another KAFKA_RUN_DIR"
  fi
  mkdir -p "$RUN_DIR"
  touch "$RUN_MARKER"
  lock_run
  local pid
  if pid="$(running_pid)"; then
    say "already running (pid $pid, $LOCAL)"
    return 0
  fi
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    port_open "$p" && die "port $p on $HOST is already in use by another process (set KAFKA_PORT to move)"
  done
  need_node
  cmd_fetch

  local started=$SECONDS java
  java="$(java_bin)"
  mkdir -p "$DATA_DIR"
  write_config
  format_storage

  local heap=() opts=()
  read -r -a heap <<<"$HEAP"
  read -r -a opts <<<"${KAFKA_OPTS:-}"
  : >"$OUT_FILE"
  LOG_MARK="$( (wc -l <"$LOG_FILE") 2>/dev/null || echo 0)"
  # Same GC settings as Kafka's own launcher. setsid detaches the broker from the terminal's
  # process group, so Ctrl-C on the shell that started it does not take it down. The lock fds
  # are closed for the broker, or it would hold the locks for as long as it runs.
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  ${launcher[@]+"${launcher[@]}"} "$java" ${heap[@]+"${heap[@]}"} \
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    "-Dkafka.logs.dir=$RUN_DIR" "-Dlog4j.configuration=file:$HERE/log4j.properties" \
    ${opts[@]+"${opts[@]}"} \
    -cp "$LIBS_DIR/*" kafka.Kafka "$CONFIG" >>"$OUT_FILE" 2>&1 </dev/null 8>&- 9>&- &
  pid=$!
  printf '%s\n' "$pid" >"$PID_FILE"
  say "starting (pid $pid), waiting up to ${START_TIMEOUT}s for $LOCAL..."

  local deadline=$((SECONDS + START_TIMEOUT))
  until port_open "$PORT"; do
    kill -0 "$pid" 2>/dev/null || { show_log_tail; rm -f "$PID_FILE"; die "broker exited during startup (logs in $RUN_DIR)"; }
    ((SECONDS < deadline)) || start_failed "$pid" "port $PORT did not open within ${START_TIMEOUT}s"
    sleep 0.3
  done
  # An open port is not enough: clients also need an active controller and a group coordinator.
  KAFKA_BROKERS="$LOCAL" KAFKA_PID="$pid" KAFKA_READY_TIMEOUT_MS="$(((deadline - SECONDS) * 1000))" node "$HERE/ready.js" ||
    start_failed "$pid" "broker did not become ready for clients within ${START_TIMEOUT}s"
  say "ready on $LOCAL in $((SECONDS - started))s (pid $pid, RSS $(rss_mib "$pid"))"
}

# A half-started broker would make the next start fail on a busy port, so take it down.
start_failed() {
  show_log_tail
  kill -KILL "$1" 2>/dev/null || true
  rm -f "$PID_FILE"
  die "$2; stopped it (logs in $RUN_DIR)"
}

cmd_stop() {
  [[ -d "$RUN_DIR" ]] || { say "not running"; return 0; }
  lock_run
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    say "not running"
    return 0
  fi
  say "stopping (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  rm -f "$PID_FILE"
  say "stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    say "running (pid $pid, $LOCAL, RSS $(rss_mib "$pid"), data in $DATA_DIR)"
  else
    say "not running"
    return 3
  fi
}

cmd_logs() {
  [[ -f "$LOG_FILE" ]] || die "no log yet at $LOG_FILE"
  tail -n 100 "$@" "$LOG_FILE"
}

cmd_reset() {
  cmd_stop
  [[ -d "$RUN_DIR" ]] || return 0
  [[ -f "$RUN_MARKER" ]] || die "$RUN_DIR was not created by kafka.sh; refusing to delete it"
  rm -rf "$RUN_DIR"
  say "deleted $RUN_DIR"
}

cmd_topics() {
  need_node
  node "$HERE/create-topics.js" "$@"
}

cmd_smoke() {
  cmd_topics
  node "$HERE/smoke.js"
}

case "${1:-}" in
  fetch) cmd_fetch ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop && cmd_start ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  reset) cmd_reset ;;
  topics) shift; cmd_topics "$@" ;;
  smoke) cmd_smoke ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
