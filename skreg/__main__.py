"""``python -m skreg``: the command line (see ``python -m skreg --help``)."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
