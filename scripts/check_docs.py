#!/usr/bin/env python3
"""Runs the ```bash blocks of the walk-through docs in order and checks their promised outputs.

A block is a script of its own, run from the repository root with `bash -euo pipefail`: any failing
command fails the check. A line that ends with `# => TEXT` promises that TEXT is a line of the
block's output; promises must appear in the order written (other output may come between them),
and `…` in TEXT stands for anything. Blocks fenced as ```sh are shown, never run.
Usage: scripts/check_docs.py [--list] [file ...]   (the files default to WALKTHROUGHS)
"""
import re
import subprocess
import sys
import time

# The order a newcomer follows: the health check, the upload walk-through (its transcript is what the
# later AI-tutor block cites), the tour, then each feature's walk-through.
WALKTHROUGHS = [
    "README.md",
    "src/Functions/Features/Ingestion/README.md",
    "docs/try-it.md",
    "src/Functions/Features/Payments/README.md",
    "src/Functions/Features/Tutors/README.md",
    "src/Functions/Features/ColdCalls/README.md",
    "src/Functions/Features/ContentAdmin/README.md",
    "src/Functions/Features/AiTutor/README.md",
]
PROMISE = re.compile(r"#\s*=>\s*(.+?)\s*$")


def blocks(path):
    """(first line number, text) of each ```bash block, dedented to its fence."""
    found, current, indent, start = [], None, "", 0
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        fence = re.match(r"^(\s*)```(\w*)\s*$", line)
        if current is None and fence and fence.group(2) == "bash":
            current, indent, start = [], fence.group(1), number + 1
        elif current is not None and fence and fence.group(2) == "":
            found.append((start, "".join(current)))
            current = None
        elif current is not None:
            current.append(line[len(indent):] if line.startswith(indent) else line)
    return found


def promises(script):
    return [m.group(1) for line in script.splitlines() if (m := PROMISE.search(line))]


def matches(promise, line):
    pattern = "".join(".*" if part == "…" else re.escape(part) for part in re.split("(…)", promise))
    return re.fullmatch(pattern, line.strip()) is not None


def check(path, start, script):
    began = time.monotonic()
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], capture_output=True, text=True, timeout=900)
    output = run.stdout.splitlines()
    where = f"{path}:{start}"
    if run.returncode != 0:
        return f"{where}: the block failed (exit {run.returncode})\n--- output\n{run.stdout}--- errors\n{run.stderr}"
    position = 0
    for promise in promises(script):
        while position < len(output) and not matches(promise, output[position]):
            position += 1
        if position == len(output):
            return f"{where}: promised output not seen (in order): {promise}\n--- output\n{run.stdout}--- errors\n{run.stderr}"
        position += 1
    print(f"ok  {where}  ({len(promises(script))} promises, {time.monotonic() - began:.0f} s)", flush=True)
    return None


def main(argv):
    files = [a for a in argv if not a.startswith("--")] or WALKTHROUGHS
    every = [(path, start, script) for path in files for start, script in blocks(path)]
    if "--list" in argv:
        for path, start, script in every:
            print(f"{path}:{start}  {len(promises(script))} promises")
        return 0
    # Every block runs even after a failure (later ones mostly stand on their own), so one run shows every drift.
    failed = 0
    for path, start, script in every:
        failure = check(path, start, script)
        if failure:
            failed += 1
            print("FAILED " + failure, flush=True)
    print(f"docs check: {len(every)} blocks ran, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
