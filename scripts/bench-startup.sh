#!/usr/bin/env bash
# Benchmark: time from JVM start until every port answers (web login page, SMTP, IMAPS, POP3S),
# and resident memory once ready, with the JVM's defaults and with the recommended flags (docs/operations.md).
# Usage: scripts/bench-startup.sh [runs]   (builds target/essaim.jar if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
[ -f target/essaim.jar ] || mvn -B -q -Pproduction -DskipTests package

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

recommended="-XX:+UseSerialGC -Xmx384m"
for flags in "" "$recommended"; do
echo "JVM flags: ${flags:-(defaults)}"
for i in $(seq 1 "$runs"); do
  data=$(mktemp -d)
  web=$(free_port); smtp=$(free_port); sub=$(free_port); imap=$(free_port); imaps=$(free_port); pop=$(free_port); pops=$(free_port)
  start=$(date +%s%N)
  # shellcheck disable=SC2086
  java $flags -jar target/essaim.jar --essaim.data-dir="$data" --essaim.domain=bench.test --essaim.bind-address=127.0.0.1 \
    --server.port="$web" --essaim.smtp.port="$smtp" --essaim.submission.port="$sub" --essaim.imap.port="$imap" \
    --essaim.imaps.port="$imaps" --essaim.pop3.port="$pop" --essaim.pop3s.port="$pops" \
    --essaim.bootstrap.admin-email=admin@bench.test --essaim.bootstrap.admin-password='bench password 123' \
    >"$data/out.log" 2>&1 &
  pid=$!
  until curl -fs -o /dev/null "http://127.0.0.1:$web/login" && port_open "$smtp" && port_open "$imaps" && port_open "$pops"; do
    kill -0 "$pid" 2>/dev/null || { echo "Essaim exited; see $data/out.log"; exit 1; }
    sleep 0.1
  done
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 2
  rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "run $i: ready in ${ready_ms} ms, RSS after start $((rss_kib / 1024)) MiB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
done
done
