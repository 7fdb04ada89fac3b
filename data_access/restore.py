"""`python -m data_access.restore --from FILE`: restore a backup into an empty database.

The work is `data_access.backup.restore_database`; the command line is cli/backup.py.
"""

if __name__ == "__main__":
    # The command line lives in cli/ (layers point one way); imported inside the block.
    from cli.backup import restore_main

    raise SystemExit(restore_main())
