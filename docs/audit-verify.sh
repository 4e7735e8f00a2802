#!/bin/sh
# Verifies Essaim's public audit log with standard tools only (curl, jq, GnuPG, sha256sum), without trusting
# Essaim's code. See docs/audit.md.
#   BASE=https://mail.example.org sh audit-verify.sh                       (log published: essaim.audit.public=true)
#   BASE=https://mail.example.org AUTH='you@example.org:password' sh audit-verify.sh   (members-only log)
# Exit 0 and "OK: N entries" when every entry holds; 1 and "BROKEN: entry N: ..." at the first broken entry.
set -eu
: "${BASE:?set BASE to the server's URL}"
work=$(mktemp -d)
trap 'gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
fetch() { if [ -n "${AUTH:-}" ]; then curl -fsS -u "$AUTH" "$1"; else curl -fsS "$1"; fi; }
broken() { echo "BROKEN: entry $seq: $1"; exit 1; }

previous=0000000000000000000000000000000000000000000000000000000000000000
seq=0
while :; do
  fetch "$BASE/api/audit?after=$seq&limit=500" > "$work/page"
  [ -s "$work/page" ] || break
  while IFS= read -r line; do
    seq=$((seq + 1))
    printf '%s' "$line" > "$work/line"
    # shellcheck disable=SC2046  # fields are numbers, words and hex: no spaces
    set -- $(jq -r '[.seq, .kind, .hash, (.signer // "-"), (.signature == null)] | @tsv' "$work/line")
    entry_seq=$1 kind=$2 stored_hash=$3 signer=$4 unsigned=$5
    [ "$entry_seq" = "$seq" ] || broken "expected sequence number $seq"
    jq -j .statement "$work/line" > "$work/statement"
    # canonical form: exactly what jq -cjS prints (sorted keys, no whitespace, no trailing newline)
    jq -cjS . "$work/statement" | cmp -s - "$work/statement" || broken "statement not in canonical form"
    set -- $(jq -r '[.previous, .admin] | @tsv' "$work/statement")
    [ "$1" = "$previous" ] || broken "does not name the previous entry's hash"
    admin=$2
    if [ "$kind" = SERVER ]; then
      [ "$admin" = server ] && [ "$unsigned" = true ] || broken "server entry signed or named"
      hash=$(sha256sum < "$work/statement" | cut -d' ' -f1)
    else
      jq -j .signature "$work/line" > "$work/signature"
      if ! gpg --batch --list-keys "$signer" >/dev/null 2>&1; then
        fetch "$BASE/api/audit/keys/$signer" | gpg --batch --import 2>/dev/null || broken "signer key $signer not served"
      fi
      # VALIDSIG's last field is the primary key's fingerprint
      gpg --batch --status-fd 1 --verify "$work/signature" "$work/statement" 2>/dev/null \
        | grep -q "^\[GNUPG:\] VALIDSIG .* $signer\$" || broken "bad signature or not by $signer"
      # a user ID "Name <address>", "<address>" or the bare address (what gpg --quick-gen-key address makes)
      gpg --batch --with-colons --list-keys "$signer" \
        | awk -F: -v a="$admin" 'BEGIN { a = tolower(a) }
            $1 == "uid" { u = tolower($10); if (u == a || index(u, "<" a ">")) found = 1 }
            END { exit !found }' \
        || broken "signer key $signer has no user ID $admin"
      hash=$(cat "$work/statement" "$work/signature" | sha256sum | cut -d' ' -f1)
    fi
    [ "$stored_hash" = "$hash" ] || broken "stored hash differs from sha256(statement || signature)"
    previous=$hash
  done < "$work/page"
done
[ "$seq" -gt 0 ] || { echo "BROKEN: empty log"; exit 1; }
echo "OK: $seq entries; head $previous"
