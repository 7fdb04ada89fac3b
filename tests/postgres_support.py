"""A throwaway PostgreSQL cluster for the tests: initdb into a temporary folder, start it on a
free local port, create databases, stop and delete it at the end.

PostgreSQL refuses to run as root, so as root every server command runs as the `postgres`
user (`runuser -u postgres --`), in a folder that user owns. The cluster uses the C.UTF-8
locale so text sorts by code point, exactly as SQLite does: the same queries then list the
same rows in the same order on both.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SERVER_USER = "postgres"


def postgres_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl, if any."""
    candidates = [
        Path(folder)
        for folder in glob.glob("/usr/lib/postgresql/*/bin")
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists()
    ]

    def version(folder: Path) -> tuple[int, ...]:
        name = folder.parent.name
        return tuple(int(part) for part in name.split(".") if part.isdigit())

    return max(candidates, key=version) if candidates else None


def unavailable_reason() -> str | None:
    """Why a throwaway cluster cannot be started here, or None when it can."""
    if postgres_bin_dir() is None:
        return (
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin "
            "(apt-get install -y --no-install-recommends postgresql)"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root, and there is no '{SERVER_USER}' user to run PostgreSQL"
        if shutil.which("runuser") is None:
            return "running as root, and runuser is not available to drop privileges"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -r requirements-dev.txt)"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresCluster:
    """initdb + pg_ctl start on 127.0.0.1:<free port>, trust authentication, user postgres."""

    def __init__(self) -> None:
        bin_dir = postgres_bin_dir()
        if bin_dir is None:
            raise RuntimeError(unavailable_reason() or "PostgreSQL not found")
        self.bin_dir = bin_dir
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="tracker-postgres-"))
        self.data_dir = self.folder / "data"
        self.socket_dir = self.folder / "sockets"
        self.log_file = self.folder / "server.log"
        self.started = False

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bin_dir / program), *args]
        return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command

    def _run(self, program: str, *args: str) -> None:
        completed = subprocess.run(
            self._command(program, *args),
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            cwd=self.folder,
        )
        if completed.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({completed.returncode}):\n{completed.stdout}\n"
                f"{completed.stderr}\n{self.server_log()}"
            )

    def server_log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def start(self) -> PostgresCluster:
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            server_user = pwd.getpwnam(SERVER_USER)
            for path in (self.folder, self.socket_dir):
                os.chown(path, server_user.pw_uid, server_user.pw_gid)
        self._run(
            "initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.socket_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file), "-o", options,
            "-w", "-t", "60", "start",
        )  # fmt: skip
        self.started = True
        return self

    def url(self, database: str, user: str = "postgres") -> str:
        return f"postgresql+psycopg://{user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        try:
            if self.started:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
                self.started = False
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
