#!/usr/bin/env bash
# Benchmark: time from launch until Essaim is ready, and resident memory (RSS) two seconds later.
# Ready: GET /actuator/health/readiness answers 200 (web, SMTP, submission, IMAP(S), POP3(S) and the first admin all
# up; a jar from before the probe existed answers something else than 503, and is then judged by the rest), the login
# page answers 200, and the SMTP, IMAPS and POP3S ports accept connections. Runs are interleaved between the modes,
# so that every mode sees the same machine load:
#   plain        java -jar $JAR                                     (the JVM's defaults)
#   java-jar     java -XX:+UseSerialGC -Xmx384m -jar $JAR           (the flags recommended before bin/essaim)
#   bin/essaim   ESSAIM_JAR=$JAR bin/essaim: serial GC, a small initial heap, class data sharing (docs/operations.md)
#   old=<jar>    java -XX:+UseSerialGC -Xmx384m -jar <jar>          (e.g. a jar built from an earlier commit)
# Usage: [JAR=target/essaim.jar] scripts/bench-startup.sh [runs] [modes...]   (default: 5 runs, java-jar bin/essaim)
# Builds target/essaim.jar if missing. Prints one line per run, then per mode the range and median of the time to
# ready, of the CPU time the JVM used until then (a steadier figure on a loaded machine) and of the RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
shift || true
modes=("$@")
[ ${#modes[@]} -gt 0 ] || modes=(java-jar bin/essaim)
jar=$(realpath "${JAR:-target/essaim.jar}")
[ -f "$jar" ] || mvn -B -q -Pproduction -DskipTests package
# The launcher prepares its class data sharing archive on first use (once per jar); do it before timing anything.
for mode in "${modes[@]}"; do
  [ "$mode" = bin/essaim ] && ESSAIM_JAR="$jar" bin/essaim --prepare
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
http_code() { curl -s -o /dev/null -m 5 -w '%{http_code}' "http://127.0.0.1:$web$1" || true; }

results=$(mktemp)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   jar: $jar"
for i in $(seq 1 "$runs"); do
  for mode in "${modes[@]}"; do
    data=$(mktemp -d)
    web=$(free_port); smtp=$(free_port); sub=$(free_port); imap=$(free_port); imaps=$(free_port); pop=$(free_port); pops=$(free_port)
    args=(--essaim.data-dir="$data" --essaim.domain=bench.test --essaim.bind-address=127.0.0.1 --server.address=127.0.0.1
      --server.port="$web" --essaim.smtp.port="$smtp" --essaim.submission.port="$sub" --essaim.imap.port="$imap"
      --essaim.imaps.port="$imaps" --essaim.pop3.port="$pop" --essaim.pop3s.port="$pops"
      --essaim.bootstrap.admin-email=admin@bench.test --essaim.bootstrap.admin-password='bench password 123')
    start=$(date +%s%N)
    case "$mode" in
      plain) java -jar "$jar" "${args[@]}" >"$data/out.log" 2>&1 & ;;
      java-jar) java -XX:+UseSerialGC -Xmx384m -jar "$jar" "${args[@]}" >"$data/out.log" 2>&1 & ;;
      bin/essaim) ESSAIM_JAR="$jar" bin/essaim "${args[@]}" >"$data/out.log" 2>&1 & ;;
      old=*) java -XX:+UseSerialGC -Xmx384m -jar "${mode#old=}" "${args[@]}" >"$data/out.log" 2>&1 & ;;
      *) echo "unknown mode $mode"; exit 2 ;;
    esac
    pid=$!
    while true; do
      readiness=$(http_code /actuator/health/readiness)
      if [ "$readiness" != 000 ] && [ "$readiness" != 503 ] && [ "$(http_code /login)" = 200 ] \
          && port_open "$smtp" && port_open "$imaps" && port_open "$pops"; then
        break
      fi
      kill -0 "$pid" 2>/dev/null || { echo "Essaim exited; see $data/out.log"; exit 1; }
      sleep 0.1
    done
    ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    # CPU time the JVM used until ready (user + system; fields 14 and 15 of /proc/<pid>/stat, after the command name):
    # far less sensitive than wall time to other work on a shared machine.
    cpu_ms=$(( $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}') * 1000 / $(getconf CLK_TCK) ))
    sleep 2
    # bin/essaim execs java: the same process
    rss_mib=$(( $(awk '/VmRSS/ {print $2}' "/proc/$pid/status") / 1024 ))
    echo "run $i $mode: ready in ${ready_ms} ms (readiness $readiness, CPU ${cpu_ms} ms), RSS after start ${rss_mib} MiB   load $(cut -d' ' -f1 /proc/loadavg)"
    echo "$mode $ready_ms $rss_mib $cpu_ms" >> "$results"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in "${modes[@]}"; do
  t=($(awk -v m="$mode" '$1 == m {print $2}' "$results" | sort -n))
  r=($(awk -v m="$mode" '$1 == m {print $3}' "$results" | sort -n))
  c=($(awk -v m="$mode" '$1 == m {print $4}' "$results" | sort -n))
  n=${#t[@]}; mid=$(( (n - 1) / 2 ))
  printf '%-12s ready %s-%s ms (median %s), CPU until ready %s-%s ms (median %s), RSS %s-%s MiB (median %s), %s runs\n' \
    "$mode" "${t[0]}" "${t[n-1]}" "${t[mid]}" "${c[0]}" "${c[n-1]}" "${c[mid]}" "${r[0]}" "${r[n-1]}" "${r[mid]}" "$n"
done
rm -f "$results"
