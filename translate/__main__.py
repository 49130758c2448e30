"""Allow ``python -m translate``."""

from translate.cli import main

raise SystemExit(main())
