"""``python -m studysite`` runs the command line."""

from studysite.cli import main

raise SystemExit(main())
