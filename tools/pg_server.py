"""A throwaway PostgreSQL server for tests and for trying Khabri on PostgreSQL by hand.

    python -m tools.pg_server start [--dir DIR]    # prints its postgresql:// URL on the last line
    python -m tools.pg_server stop [--dir DIR]     # stops it and deletes DIR

The server's files live in DIR (default ``$TMPDIR/khabri-postgres``): ``initdb`` makes a cluster there
with the C locale (text compares byte by byte, as SQLite's does), trust authentication for the user
``khabri``, listening on 127.0.0.1 only, on a free port, with its socket in DIR as well. PostgreSQL
refuses to run as root: as root, the server runs as the ``postgres`` user (Debian's package makes it)
or, failing that, ``nobody``, and DIR belongs to that user. ``start`` on a DIR whose server runs
already prints the same URL again.

The test fixture (tests/pg_fixtures.py) starts one with ``fast=True`` (no fsync: a crash of the
machine may lose the cluster, which a test never minds) and makes a database per test.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

USER = "khabri"
# The database ``start`` makes for running Khabri by hand; tests make their own.
DATABASE = "khabri"
DEFAULT_DIR = Path(tempfile.gettempdir()) / "khabri-postgres"
# Where Debian's postgresql packages put the server programs; pg_ctl on PATH is tried first.
SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin")


class ServerError(RuntimeError):
    """The server could not be found, made or started; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Server:
    """A running server: where its files are, and the URL of its ``postgres`` database."""

    directory: Path
    port: int

    @property
    def version(self) -> str:
        """The cluster's major version, as ``initdb`` wrote it."""
        return (self.directory / "data" / "PG_VERSION").read_text().strip()

    def url(self, database: str = "postgres") -> str:
        """The ``postgresql://`` URL of one of its databases."""
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"


def binaries() -> Path:
    """The directory holding ``initdb``, ``pg_ctl`` and ``postgres``.

    Raises:
        ServerError: PostgreSQL is not installed.
    """
    found = shutil.which("pg_ctl")
    candidates = [Path(found).resolve().parent] if found else []
    for pattern in SEARCH:
        root = Path(pattern.split("*")[0])
        if "*" in pattern and root.is_dir():
            candidates += sorted(root.glob(pattern[len(str(root)) + 1 :]), reverse=True)
        elif "*" not in pattern:
            candidates.append(Path(pattern))
    for directory in candidates:
        if all((directory / name).exists() for name in ("initdb", "pg_ctl", "postgres")):
            return directory
    raise ServerError(
        "PostgreSQL is not installed (no initdb/pg_ctl found): apt-get install postgresql, "
        "or put its bin directory on PATH"
    )


def _runner() -> tuple[list[str], int | None, int | None]:
    """How to run the server's programs: a command prefix, and the uid/gid to own its files."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        return (
            ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups"],
            (entry.pw_uid),
            entry.pw_gid,
        )
    raise ServerError("running as root, and there is no postgres or nobody user to run PostgreSQL as")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str], what: str, directory: Path) -> None:
    prefix, _, _ = _runner()
    # In the server's own directory: the user it runs as may not be allowed into the caller's.
    done = subprocess.run([*prefix, *command], capture_output=True, text=True, check=False, cwd=directory)
    if done.returncode != 0:
        raise ServerError(f"{what} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-800:]}")


def running(directory: Path) -> Server | None:
    """The server whose files are in ``directory``, if it runs (answers on its port)."""
    port_file = directory / "port"
    if not port_file.is_file() or not (directory / "data" / "postmaster.pid").is_file():
        return None
    port = int(port_file.read_text().strip())
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return Server(directory, port)
    return None


def start(directory: Path = DEFAULT_DIR, *, fast: bool = False, timeout: float = 60.0) -> Server:
    """Start a server with its files in ``directory`` (made if missing); return it once it answers.

    Args:
        directory: where the cluster, its socket, its log and its port number are kept.
        fast: turn off fsync and synchronous commit; for tests, where the cluster is thrown away.
        timeout: seconds to wait for the server to accept connections.

    Raises:
        ServerError: PostgreSQL is missing, or the server did not start (the log's end is quoted).
    """
    found = running(directory)
    if found is not None:
        return found
    bin_dir = binaries()
    _, uid, gid = _runner()
    directory.mkdir(parents=True, exist_ok=True)
    if uid is not None and gid is not None:
        os.chown(directory, uid, gid)
    directory.chmod(0o700)
    data = directory / "data"
    if not (data / "PG_VERSION").exists():
        if data.exists():
            shutil.rmtree(data)
        _run(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                USER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-instructions",
                *(["--no-sync"] if fast else []),
            ],
            "initdb",
            directory,
        )
    fresh = not (data / "postmaster.opts").exists()
    port = _free_port()
    (directory / "port").write_text(f"{port}\n")
    if uid is not None and gid is not None:
        os.chown(directory / "port", uid, gid)
    options = [
        "-c listen_addresses=127.0.0.1",
        f"-c port={port}",
        f"-c unix_socket_directories={directory}",
        "-c max_connections=200",
        *(["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"] if fast else []),
    ]
    log = directory / "server.log"
    _run(
        [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", " ".join(options), "-w", "start"],
        "pg_ctl start",
        directory,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        server = running(directory)
        if server is not None:
            if fresh:
                _run(
                    [str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE],
                    "createdb",
                    directory,
                )
            return server
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-800:] if log.exists() else "(no log)"
    raise ServerError(f"PostgreSQL did not start within {timeout:.0f} s: {tail}")


def stop(directory: Path = DEFAULT_DIR) -> bool:
    """Stop the server in ``directory`` (if one runs) and delete its files; whether one ran."""
    data = directory / "data"
    was_running = running(directory) is not None
    if (data / "postmaster.pid").exists():
        with contextlib.suppress(ServerError):
            _run(
                [str(binaries() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                "pg_ctl stop",
                directory,
            )
    shutil.rmtree(directory, ignore_errors=True)
    return was_running


def main(argv: list[str] | None = None) -> int:
    """``start`` or ``stop`` the throwaway server; ``start`` prints its URL last."""
    parser = argparse.ArgumentParser(prog="python -m tools.pg_server", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help=f"its files (default {DEFAULT_DIR})")
    parser.add_argument("--fast", action="store_true", help="no fsync: quicker, for throwaway data")
    args = parser.parse_args(argv)
    try:
        if args.action == "stop":
            print("stopped" if stop(args.dir) else f"no server was running in {args.dir}")
            return 0
        server = start(args.dir, fast=args.fast)
    except ServerError as error:
        print(f"pg_server: {error}", file=sys.stderr)
        return 1
    print(f"PostgreSQL {server.version} runs on 127.0.0.1:{server.port}, its files in {server.directory}")
    print("stop it with: make postgres-stop; point Khabri at it with KHABRI_DB=<the URL below>")
    print(server.url(DATABASE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
