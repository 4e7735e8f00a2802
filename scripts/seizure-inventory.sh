#!/bin/sh
# What a seized disk or backup shows, without any key (docs/seizure.md).
#   scripts/seizure-inventory.sh /var/lib/essaim                      a data directory (a copy, or the server stopped)
#   scripts/seizure-inventory.sh /var/lib/essaim/backups/essaim-backup-20261130T033000Z.pgp
# ESSAIM_JAR (default target/essaim.jar) is the Essaim jar; it reads the H2 databases and OpenPGP packets.
set -eu
jar="${ESSAIM_JAR:-$(dirname "$0")/../target/essaim.jar}"
for target in "$@"; do
  java -jar "$jar" inventory "$target"
  if [ -d "$target" ]; then
    echo "## Words anyone can grep in the raw files (the first 20 e-mail addresses found by strings):"
    find "$target" -type f ! -name '*.pgp' -exec strings -n 6 {} + 2>/dev/null \
      | grep -Eo '[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}' | sort | uniq -c | sort -rn | head -20
  fi
done
