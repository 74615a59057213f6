#!/usr/bin/env python3
"""Prints the goals' table of `make bench` from the rows its parts wrote
(lines `what|backend|value`): one row per measure, SQLite and PostgreSQL side
by side, with the goal. The search ratios are to /healthz of the same server
in the same run (scripts/bench-catalog.sh); the integrator's to the web
client's enrolment rush in the same run (api/examples/enrolment_bench.rs)."""
import sys

GOALS = [
    ("varied search ÷ /healthz (no cache)", "≥ 0.35"),
    ("varied search p99 (no cache)", "≤ 25 ms"),
    ("varied search ÷ /healthz (answer cache on)", "≥ 0.35"),
    ("varied search p99 (answer cache on)", "≤ 25 ms"),
    ("popular searches ÷ /healthz", "—"),
    ("program card ÷ /healthz", "≥ 0.30"),
    ("program card p99", "≤ 25 ms"),
    ("enrolment rush, applications/s", "≥ 600"),
    ("groups over capacity after the rush", "0"),
    ("SQL statements per application", "fewer"),
    ("integrator apply, applications/s", "≥ ½ of the enrolment rush"),
    ("integrator apply ÷ enrolment rush", "≥ 0.50"),
    ("groups over capacity after the integrator rush", "0"),
    ("SQL statements per integrator application", "fewer"),
    ("webhook deliveries/s", "≥ 200"),
    ("statistics dashboard p95 (200000 children)", "≤ 500 ms"),
    ("statistics dashboard p95, whole region (200000 children)", "≤ 500 ms"),
    ("/healthz p50 beside the dashboard", "—"),
    ("API RSS after the runs (caches on / off)", "≤ 150 MiB"),
    ("web client transferred on the first load of /", "≤ 450 KB"),
    ("web client transferred on the first load of /catalog", "≤ 450 KB"),
    ("first program card shown on /catalog, slow mobile network", "≤ 3 s"),
]


def column(backend):
    backend = backend.lower()
    if backend.startswith("sqlite"):
        return 0
    if backend.startswith("postgres"):
        return 1
    return 2  # the web client: the same on both


def main(path):
    values = {}
    with open(path, encoding="utf-8") as rows:
        for line in rows:
            what, backend, value = line.rstrip("\n").split("|", 2)
            values.setdefault(what, ["—", "—", None])[column(backend)] = value
    print("\n| measure | SQLite | PostgreSQL | goal |")
    print("|---|---:|---:|---|")
    for what, goal in GOALS + [(w, "—") for w in values if w not in dict(GOALS)]:
        if what not in values:
            continue
        sqlite, postgres, client = values[what]
        if client is not None:
            sqlite = postgres = client
        print(f"| {what} | {sqlite} | {postgres} | {goal} |")


if __name__ == "__main__":
    main(sys.argv[1])
