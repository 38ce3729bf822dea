#!/usr/bin/env python3
"""Summarises `jfr print --events jdk.ExecutionSample --stack-depth N` output read from stdin.

usage: jfr print --events jdk.ExecutionSample --stack-depth 40 rec.jfr | jfr-summary.py THREAD_REGEX [FROM HH:MM:SS] [TO HH:MM:SS]

Prints, for the samples of threads matching THREAD_REGEX (optionally within a time window):
the share of samples per category (first matching frame from the top of the stack) and the top
self frames.
"""
import re
import sys
from collections import Counter

CATEGORIES = [
    ("RocksDB (state stores)", re.compile(r"^org\.rocksdb\.|RocksDB")),
    ("Jackson JSON (decode/encode)", re.compile(r"^com\.fasterxml\.jackson\.")),
    ("SHA-256 / hashing", re.compile(r"MessageDigest|sun\.security\.provider\.|HexFormat")),
    ("java.util.regex (templates, value normalising)", re.compile(r"^java\.util\.regex\.")),
    ("kdpipe code", re.compile(r"^io\.kdpipe\.")),
    ("Kafka Streams runtime", re.compile(r"^org\.apache\.kafka\.streams\.")),
    ("Kafka client I/O and records", re.compile(r"^org\.apache\.kafka\.(clients|common)\.")),
    ("Kafka broker (embedded)", re.compile(r"^(kafka\.|org\.apache\.kafka\.(storage|server|coordinator|raft|metadata|image|controller))")),
    ("JDK HTTP client/server", re.compile(r"^(jdk\.internal\.net\.http|sun\.net\.httpserver|com\.sun\.net\.httpserver)")),
    ("sandbox (Kingdee/DingTalk stand-ins)", re.compile(r"^io\.kdpipe\.sandbox\.")),
]

def category(stack):
    # the most specific library on the stack, looking from the top (leaf) down
    for frame in stack:
        for name, rx in CATEGORIES[:4]:
            if rx.search(frame):
                return name
    for frame in stack:
        for name, rx in CATEGORIES[9:] + CATEGORIES[4:9]:
            if rx.search(frame):
                return name
    return "other (JDK, GC-safe points, logging)"

def main():
    thread_rx = re.compile(sys.argv[1])
    t_from = sys.argv[2] if len(sys.argv) > 2 else None
    t_to = sys.argv[3] if len(sys.argv) > 3 else None
    cats, tops, total = Counter(), Counter(), 0
    thread, start, stack, in_stack = None, None, [], False
    for line in sys.stdin:
        s = line.strip()
        if s.startswith("jdk.ExecutionSample"):
            thread, start, stack, in_stack = None, None, [], False
        elif s.startswith("startTime ="):
            start = s.split("=", 1)[1].strip().split(" ")[0][:8]
        elif s.startswith("sampledThread ="):
            m = re.match(r'sampledThread = "(.*)" \(', s)
            thread = m.group(1) if m else s
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s == "]":
            in_stack = False
        elif in_stack and s and s != "...":
            stack.append(s)
        elif s == "}" and thread is not None:
            if thread_rx.search(thread) and (t_from is None or (start and t_from <= start <= t_to)):
                total += 1
                cats[category(stack)] += 1
                if stack:
                    tops[re.sub(r"\s+line:.*", "", stack[0])] += 1
            thread = None
    print(f"samples: {total}")
    for name, n in cats.most_common():
        print(f"  {100.0 * n / max(total, 1):5.1f} %  {name}")
    print("top self frames:")
    for name, n in tops.most_common(12):
        print(f"  {100.0 * n / max(total, 1):5.1f} %  {name}")

if __name__ == "__main__":
    main()
