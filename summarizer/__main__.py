"""`python -m summarizer` is the same as the `summarizer` command."""

import sys

from .collector import tune

tune()  # before the imports below: they are the start-up's allocations
try:
    from .cli import run
except KeyboardInterrupt:  # Ctrl-C while the modules load: no traceback, the usual status
    sys.exit(130)

run()
