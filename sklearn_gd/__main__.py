"""Run the ``sklearn-gd`` command line as ``python -m sklearn_gd``."""

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
