"""`python -m bench.worker TASK ARGS_JSON`: run one measurement task in this (fresh) process and
print its JSON result as the last line of stdout; `bench.system.run_task` starts it and reads
that line. A module of its own, so that `python -m bench` stays the command line."""

from __future__ import annotations

import json
import sys

from bench.tasks import TASKS


def main(argv: list[str]) -> int:
    """Run the task `argv[0]` with the JSON arguments `argv[1]`; print its JSON result."""
    if len(argv) != 2 or argv[0] not in TASKS:
        print(f"usage: python -m bench.worker {{{','.join(TASKS)}}} ARGS_JSON", file=sys.stderr)
        return 2
    result = TASKS[argv[0]](json.loads(argv[1]))
    sys.stdout.flush()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
