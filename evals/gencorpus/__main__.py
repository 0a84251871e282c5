"""python -m evals.gencorpus: see evals.gencorpus.cli."""

import sys

from evals.gencorpus.cli import main

sys.exit(main())
