"""`python -m data_access.demo`: kept because the README of earlier versions and users' scripts
run it. The demo generator is the `demo` package now (`python -m demo`); the data layer never
imports it, so the import is inside the block."""

if __name__ == "__main__":
    from cli.demo import main

    raise SystemExit(main())
