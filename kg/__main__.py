import sys

from kg.cli import main

# guarded: worker processes (forkserver, spawn, Dask) import the main module again
if __name__ == "__main__":
    sys.exit(main())
