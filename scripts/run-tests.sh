#!/usr/bin/env bash
# Install what the test suite needs, then run all of it.
#
#   bash scripts/run-tests.sh [pytest arguments...]
#
# For a fresh Debian 12 machine, run as root or as a developer with sudo:
#   - Debian's chromium (browser tests), if /usr/bin/chromium is missing;
#   - Debian's postgresql (PostgreSQL tests), if no pg_ctl is under /usr/lib/postgresql/*/bin;
#   - the Python test dependencies, requirements-dev.txt;
# then runs `python3 -m pytest` with the arguments given, and exits with pytest's exit code
# (5, "no tests collected", is a failure too).
#
# Python: an active virtual environment is used as it is; otherwise ./.venv if it exists;
# otherwise python3, unless it is an "externally managed" system Python (Debian's own
# python3 refuses pip installs), in which case ./.venv is created and used.
# PYTHON=/path/to/python overrides the choice.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() {
    printf '\n==> %s\n' "$*"
}

# --- System packages --------------------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    SUDO=()
fi

have_postgres() {
    compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
have_postgres || missing+=(postgresql)

section "System packages"
if [ ${#missing[@]} -eq 0 ]; then
    echo "chromium and postgresql are already installed."
elif [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
    echo "Not root and no sudo: cannot install ${missing[*]}." >&2
    echo "Their tests will be skipped (or fail when CI is set)." >&2
else
    echo "Installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends "${missing[@]}" </dev/null
fi

# --- Python -----------------------------------------------------------------------------
is_externally_managed() {
    "$1" - <<'EOF'
import sys
import sysconfig
from pathlib import Path

in_venv = sys.prefix != sys.base_prefix
marker = Path(sysconfig.get_path("stdlib")) / "EXTERNALLY-MANAGED"
sys.exit(0 if marker.exists() and not in_venv else 1)
EOF
}

if [ -n "${PYTHON:-}" ]; then
    python="$PYTHON"
elif [ -n "${VIRTUAL_ENV:-}" ] && [ -x "$VIRTUAL_ENV/bin/python" ]; then
    python="$VIRTUAL_ENV/bin/python"
elif [ -x .venv/bin/python ]; then
    python=.venv/bin/python
elif is_externally_managed python3; then
    section "Project virtual environment (.venv)"
    if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
        if [ "$(id -u)" -eq 0 ] || [ ${#SUDO[@]} -gt 0 ]; then
            "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
                --no-install-recommends python3-venv </dev/null
        fi
    fi
    python3 -m venv .venv
    python=.venv/bin/python
else
    python=python3
fi

section "Python test dependencies (requirements-dev.txt) for $("$python" --version 2>&1)"
# pip's harmless "Location 'file:///...' is ignored" warnings (a local index mirror in the
# pip configuration that may be absent) are dropped; everything else is shown.
"$python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 \
    | { grep -v "^WARNING: Location '.*' is ignored" || true; }

# --- Tests ------------------------------------------------------------------------------
section "Tests: $python -m pytest $*"
set +e
"$python" -m pytest "$@"
status=$?
set -e

case "$status" in
    0) section "Tests passed" ;;
    5) section "No tests were collected (pytest exit code 5): treated as a failure" ;;
    *) section "Tests failed (pytest exit code $status)" ;;
esac
exit "$status"
