"""`python -m demo`: build a demo database (the command line is `cli/demo.py`)."""

from cli.demo import main

raise SystemExit(main())
