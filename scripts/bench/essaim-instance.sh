#!/usr/bin/env bash
# Starts or stops one Essaim for the benchmarks: fresh data directory, free loopback ports, the bootstrap admin
# bench@bench.test with a public key (made with GnuPG in a throw-away GNUPGHOME) so that delivery encrypts to it.
#
#   scripts/bench/essaim-instance.sh start DIR [JAR]   prints shell variables (eval them); JAR: target/essaim.jar
#   scripts/bench/essaim-instance.sh stop DIR
#
# Printed: ESSAIM_SMTP_PORT, ESSAIM_IMAPS_PORT, ESSAIM_USER, ESSAIM_PASSWORD, ESSAIM_PID, ESSAIM_DATA.
# JVM flags: ESSAIM_JAVA_OPTS (default: the documented -XX:+UseSerialGC -Xmx384m); more arguments: ESSAIM_ARGS.
# The spam check still judges every message (its cost is measured) but files nothing as spam and refuses nothing:
# smtp-source's filler messages score as junk, and the benchmarks read the INBOX.
# DNS: the arrival checks (SPF, DMARC, blocklists) ask scripts/bench/quiet-dns.py, started here on a free loopback
# port, which answers every question at once (no such name): the machine's resolver loses a few per cent of
# questions, and each loss held a session for a 3 s timeout. ESSAIM_DNS=system keeps the machine's resolver.
set -euo pipefail

command=${1:?usage: $0 start|stop DIR [JAR]}
dir=${2:?usage: $0 start|stop DIR [JAR]}
jar=${3:-target/essaim.jar}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local web smtp sub imap imaps pop pops
    web=$(free_port); smtp=$(free_port); sub=$(free_port); imap=$(free_port); imaps=$(free_port); pop=$(free_port); pops=$(free_port)
    local password='bench password 123'
    local dns_args=""
    if [ "${ESSAIM_DNS:-quiet}" = quiet ]; then
        rm -f "$dir/dns.port"
        python3 "$(dirname "$0")/quiet-dns.py" "$dir/dns.port" >/dev/null 2>&1 &
        echo $! > "$dir/dns.pid"
        until [ -s "$dir/dns.port" ]; do sleep 0.1; done
        dns_args="--essaim.dns.servers=127.0.0.1:$(cat "$dir/dns.port")"
    fi
    # shellcheck disable=SC2086
    java ${ESSAIM_JAVA_OPTS:--XX:+UseSerialGC -Xmx384m} -jar "$jar" --essaim.data-dir="$dir/data" \
        --essaim.domain=bench.test --essaim.bind-address=127.0.0.1 --server.address=127.0.0.1 \
        --server.port="$web" --essaim.smtp.port="$smtp" --essaim.submission.port="$sub" --essaim.imap.port="$imap" \
        --essaim.imaps.port="$imaps" --essaim.pop3.port="$pop" --essaim.pop3s.port="$pops" \
        --essaim.bootstrap.admin-email=bench@bench.test --essaim.bootstrap.admin-password="$password" \
        --essaim.spam.junk-score=1000 --essaim.spam.reject-score=1000 \
        $dns_args ${ESSAIM_ARGS:-} >"$dir/essaim.log" 2>&1 &
    local pid=$!
    echo "$pid" > "$dir/essaim.pid"
    until curl -fs -o /dev/null "http://127.0.0.1:$web/login" && port_open "$smtp" && port_open "$imaps"; do
        kill -0 "$pid" 2>/dev/null || { echo "Essaim exited; see $dir/essaim.log" >&2; exit 1; }
        sleep 0.2
    done
    if [ ! -f "$dir/gnupg/pub.asc" ]; then
        mkdir -p "$dir/gnupg"; chmod 700 "$dir/gnupg"
        GNUPGHOME="$dir/gnupg" gpg --batch --quiet --passphrase '' --quick-gen-key 'Bench <bench@bench.test>' future-default default never 2>/dev/null
        GNUPGHOME="$dir/gnupg" gpg --batch --armor --export bench@bench.test > "$dir/gnupg/pub.asc"
        gpgconf --homedir "$dir/gnupg" --kill all 2>/dev/null || true
    fi
    curl -fs -o /dev/null -u "bench@bench.test:$password" --data-binary @"$dir/gnupg/pub.asc" \
        -X PUT "http://127.0.0.1:$web/api/keys/me"
    echo "ESSAIM_SMTP_PORT=$smtp"
    echo "ESSAIM_IMAPS_PORT=$imaps"
    echo "ESSAIM_USER=bench@bench.test"
    echo "ESSAIM_PASSWORD='$password'"
    echo "ESSAIM_PID=$pid"
    echo "ESSAIM_DATA=$dir/data"
}

stop() {
    if [ -f "$dir/dns.pid" ]; then kill "$(cat "$dir/dns.pid")" 2>/dev/null || true; rm -f "$dir/dns.pid"; fi
    [ -f "$dir/essaim.pid" ] || return 0
    local pid
    pid=$(cat "$dir/essaim.pid")
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$dir/essaim.pid"
}

case "$command" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop DIR [JAR]" >&2; exit 2 ;;
esac
