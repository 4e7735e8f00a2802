#!/usr/bin/env python3
"""Summary of a benchmark's result lines ("server measurement value"): ranges per server, ratio of the medians."""
import statistics
import sys

rows = {}
for line in open(sys.argv[1]):
    server, key, value = line.split()
    rows.setdefault(key, {}).setdefault(server, []).append(float(value))
for key, servers in rows.items():
    cells = []
    for server in ("baseline", "essaim"):
        values = servers.get(server)
        cells.append("%s %g-%g" % (server, min(values), max(values)) if values else "%s -" % server)
    ratio = ""
    if "baseline" in servers and "essaim" in servers and statistics.median(servers["baseline"]):
        ratio = "ratio %.2f" % (statistics.median(servers["essaim"]) / statistics.median(servers["baseline"]))
    print("%-34s %-30s %-30s %s" % (key, cells[0], cells[1], ratio))
