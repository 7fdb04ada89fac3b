"""`python -m data_access.import_calendar FILE --committee NAME`: a thin entry point.

The command line itself is `cli/import_calendar.py` (argparse and printing stay out of the
data layer); the writes are `data_access.committees`.
"""

if __name__ == "__main__":
    from cli.import_calendar import main

    raise SystemExit(main())
