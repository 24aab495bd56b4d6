"""Run the command line: ``python -m tensornotes ...``."""

from tensornotes.cli import main

raise SystemExit(main())
