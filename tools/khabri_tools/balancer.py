"""nginx in front of several webhook workers, as a child process: ``Balancer``.

``khabri bench load --workers N`` and the several-workers tests put Debian's nginx (``apt-get install
nginx``) between the Bot API and N ``khabri run --webhook`` processes, as a deployment would (there
nginx also ends TLS). The config lives in a temporary directory, nginx listens on 127.0.0.1 and runs
in the foreground (``daemon off``), so stopping the child stops it. A worker that refuses connections
is skipped (``proxy_next_upstream error``); an update a worker died holding gets a 502, and the Bot
API delivers it again, to a worker that answers.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Self

_CONFIG = """
daemon off;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log error;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream khabri {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://khabri;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, timeout: float, process: subprocess.Popen[bytes] | None = None) -> None:
    """Return once 127.0.0.1:``port`` accepts connections.

    Raises:
        RuntimeError: ``process`` exited first, or ``timeout`` passed.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process exited with status {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def stop_processes(processes: Iterable[subprocess.Popen[bytes]], timeout: float) -> None:
    """SIGTERM every process still running, then SIGKILL those not gone ``timeout`` s later; reap all."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Balancer:
    """nginx on 127.0.0.1:``port`` spreading requests over the workers at ``upstreams`` (ports).

    Raises:
        RuntimeError: at :meth:`start`, when nginx is not installed or does not start.
    """

    def __init__(self, upstreams: Sequence[int], *, port: int | None = None) -> None:
        if not upstreams:
            raise ValueError("a balancer needs at least one worker")
        self.upstreams = list(upstreams)
        self.port = port or free_port()
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``, where the Bot API should post updates."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Self:
        """Write the config and start nginx; return once it listens."""
        nginx = shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()), None
        )
        if nginx is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install -y nginx)")
        self._dir = tempfile.TemporaryDirectory(prefix="khabri-nginx-")
        where = Path(self._dir.name)
        # One failure takes a worker out for a second: long enough to skip a dead one, short enough
        # to take back one that restarted.
        servers = "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=1s;" for port in self.upstreams
        )
        config = where / "nginx.conf"
        config.write_text(_CONFIG.format(dir=where, servers=servers, port=self.port))
        self._process = subprocess.Popen(
            [nginx, "-e", str(where / "error.log"), "-p", str(where), "-c", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_listening(self.port, 10.0, self._process)
        except RuntimeError as error:
            errors = where / "error.log"
            log = errors.read_text(errors="replace")[-500:] if errors.exists() else ""
            self.stop()
            raise RuntimeError(f"nginx did not start: {error}; {log.strip()}") from None
        return self

    def stop(self) -> None:
        """Stop nginx (SIGTERM, then SIGKILL) and remove its directory."""
        process, self._process = self._process, None
        if process is not None:
            stop_processes([process], timeout=5)
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
