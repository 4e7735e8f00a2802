#!/usr/bin/env python3
"""Summary of a benchmark's result lines ("server measurement value"): ranges per server, ratios of the medians
to the baseline's (Postfix + Dovecot)."""
import statistics
import sys

rows = {}
servers = []
for line in open(sys.argv[1]):
    server, key, value = line.split()
    rows.setdefault(key, {}).setdefault(server, []).append(float(value))
    if server not in servers:
        servers.append(server)
others = [s for s in servers if s != "baseline"]
print("%-34s %s" % ("measurement", "  ".join("%-24s" % s for s in ["baseline"] + others + ["ratios to baseline"])))
for key, values in rows.items():
    cells = []
    for server in ["baseline"] + others:
        v = values.get(server)
        cells.append("%-24s" % ("%g-%g (n=%d)" % (min(v), max(v), len(v)) if v else "-"))
    ratios = []
    base = values.get("baseline")
    for server in others:
        if base and values.get(server) and statistics.median(base):
            ratios.append("%s %.2f" % (server, statistics.median(values[server]) / statistics.median(base)))
    print("%-34s %s %s" % (key, "  ".join(cells), ", ".join(ratios)))
