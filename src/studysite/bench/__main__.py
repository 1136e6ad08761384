"""``python -m studysite.bench core|export ...``: the worker subprocesses of the benchmark."""

import sys

from studysite.bench.core import worker_main

sys.exit(worker_main(sys.argv[1:]))
