#!/usr/bin/env bash
# The reference mail server for Essaim's benchmarks: Postfix receives by SMTP and hands each message to Dovecot
# over LMTP, Dovecot stores it in a Maildir and serves it over IMAPS. Everything runs on loopback, on free
# unprivileged ports, from its own directory (own configuration, queue, mail, logs); nothing of the system's
# Postfix or Dovecot configuration is read or changed, no system service is started. Both keep their default
# durability (Postfix fsyncs its queue file before 250, Dovecot's mail_fsync=optimized before LMTP's 250).
#
#   scripts/baseline-postfix-dovecot.sh start DIR   # sets up and starts; prints shell variables (eval them)
#   scripts/baseline-postfix-dovecot.sh stop DIR    # stops both daemons started from DIR
#
# Printed variables: BASELINE_SMTP_PORT, BASELINE_IMAPS_PORT, BASELINE_USER, BASELINE_PASSWORD,
# BASELINE_MAILDIR (the user's Maildir, for disk use) and BASELINE_PIDS (Postfix master and Dovecot).
# Needs root (Postfix's master and Dovecot start as root and drop privileges), the postfix and dovecot-imapd,
# dovecot-lmtpd packages, openssl and python3.
set -euo pipefail

command=${1:?usage: $0 start|stop DIR}
dir=${2:?usage: $0 start|stop DIR}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

stop() {
    if [ -f "$dir/postfix/etc/main.cf" ]; then
        postfix -c "$dir/postfix/etc" stop >/dev/null 2>&1 || true
    fi
    if [ -f "$dir/dovecot/dovecot.conf" ]; then
        doveadm -c "$dir/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
    fi
    # postfix stop returns before master has exited; wait so that a following rm -rf finds nothing in use
    for _ in $(seq 1 50); do
        pgrep -f "master -c $dir/postfix/etc" >/dev/null 2>&1 || break
        sleep 0.1
    done
}

start() {
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    chmod 755 "$dir"
    local smtp lmtp imaps
    smtp=$(free_port); lmtp=$(free_port); imaps=$(free_port)

    # Dovecot: IMAPS for the reader, LMTP for Postfix, one static user whose mail belongs to "nobody".
    mkdir -p "$dir/dovecot/run" "$dir/dovecot/state" "$dir/mail"
    chown nobody:nogroup "$dir/mail"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
        -keyout "$dir/dovecot/key.pem" -out "$dir/dovecot/cert.pem" >/dev/null 2>&1
    cat > "$dir/dovecot/dovecot.conf" <<EOF
instance_name = essaim-baseline-$smtp
base_dir = $dir/dovecot/run
state_dir = $dir/dovecot/state
log_path = $dir/dovecot/dovecot.log
protocols = imap lmtp
listen = 127.0.0.1
ssl = required
ssl_cert = <$dir/dovecot/cert.pem
ssl_key = <$dir/dovecot/key.pem
default_internal_user = dovecot
default_login_user = dovenull
disable_plaintext_auth = no
auth_mechanisms = plain
mail_location = maildir:$dir/mail/%d/%n/Maildir
first_valid_uid = 1
passdb {
  driver = static
  args = password=baseline
}
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$dir/mail/%d/%n
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $imaps
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $lmtp
  }
  unix_listener lmtp {
    mode = 0600
  }
}
service auth {
  unix_listener auth-userdb {
    mode = 0600
  }
}
protocol lmtp {
  postmaster_address = postmaster@bench.test
}
EOF
    if ! dovecot -c "$dir/dovecot/dovecot.conf"; then
        echo "Dovecot did not start; see $dir/dovecot/dovecot.log" >&2
        exit 1
    fi

    # Postfix: receives for bench.test on loopback, relays nothing, delivers through Dovecot's LMTP.
    mkdir -p "$dir/postfix/etc" "$dir/postfix/queue" "$dir/postfix/data"
    chown postfix "$dir/postfix/data"
    cat > "$dir/postfix/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/postfix/queue
data_directory = $dir/postfix/data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
myhostname = baseline.test
mydomain = baseline.test
myorigin = baseline.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
virtual_mailbox_domains = bench.test
virtual_transport = lmtp:inet:127.0.0.1:$lmtp
smtpd_recipient_restrictions = permit_mynetworks, reject_unauth_destination
maillog_file = $dir/postfix/maillog
maillog_file_prefixes = $dir
alias_maps =
alias_database =
local_recipient_maps =
smtputf8_enable = no
biff = no
EOF
    sed -e 's/^\(smtp \+inet\)/#\1/' \
        -e 's/^\([a-z0-9]\+ \+\(unix\|fifo\|unix-dgram\|pass\) \+[-ny] \+[-ny] \+\)[-y]\( \)/\1n\3/' \
        /etc/postfix/master.cf > "$dir/postfix/etc/master.cf"
    echo "127.0.0.1:$smtp inet n - n - - smtpd" >> "$dir/postfix/etc/master.cf"
    if ! grep -q '^postlog' "$dir/postfix/etc/master.cf"; then
        echo "postlog unix-dgram n - n - 1 postlogd" >> "$dir/postfix/etc/master.cf"
    fi
    postfix -c "$dir/postfix/etc" check >/dev/null 2>&1 || true
    if ! postfix -c "$dir/postfix/etc" start >/dev/null 2>&1; then
        echo "Postfix did not start; see $dir/postfix/maillog" >&2
        exit 1
    fi

    local port
    for port in "$smtp" "$imaps"; do
        for _ in $(seq 1 100); do
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
            sleep 0.1
        done
    done
    local master_pid dovecot_pid
    master_pid=$(tr -d ' ' < "$dir/postfix/queue/pid/master.pid")
    dovecot_pid=$(cat "$dir/dovecot/run/master.pid")
    echo "BASELINE_SMTP_PORT=$smtp"
    echo "BASELINE_IMAPS_PORT=$imaps"
    echo "BASELINE_USER=bench@bench.test"
    echo "BASELINE_PASSWORD=baseline"
    echo "BASELINE_MAILDIR=$dir/mail/bench.test/bench/Maildir"
    echo "BASELINE_PIDS='$master_pid $dovecot_pid'"
}

case "$command" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
