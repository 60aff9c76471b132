"""Build and run a real two-node OpenSearch cluster on 127.0.0.1, for tests, benchmarks and trying by hand.

The node is OpenSearch 2.19 assembled from its Maven Central artifacts by ``tools/opensearch-node`` (a small
launcher that starts ``org.opensearch.node.Node`` with the netty4 and analysis-common modules as classpath
plugins). Each node is its own JVM with a small heap, its own data directory and its own ports.

    python -m tools.search_cluster build            # mvn package, once (the jars are cached in target/)
    python -m tools.search_cluster start [--dir D]  # two nodes; the last line printed is the URL
    python -m tools.search_cluster stop [--dir D]

``make search-cluster`` and ``make search-cluster-stop`` call the last two. Tests use :class:`Cluster`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent / "opensearch-node"
TARGET = PROJECT / "target"
JAR = TARGET / "khabri-opensearch-node.jar"
MAIN_CLASS = "org.khabri.searchnode.SearchNode"
# Small heaps: the machine has two cores and is shared; SerialGC keeps each JVM to one GC thread.
JVM_OPTIONS = ("-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=256m", "-XX:-UsePerfData")
DEFAULT_DIR = Path(__file__).resolve().parent.parent / ".search-cluster"
STATE_FILE = "cluster.json"


class ClusterError(RuntimeError):
    """The cluster could not be built, started or reached."""


def toolchain_missing() -> str | None:
    """Say why the node cannot be built here (no java or no mvn on PATH), or None when it can."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            return f"{tool} is not on PATH"
    return None


def build(*, quiet: bool = True) -> Path:
    """Build the launcher jar and its classpath with Maven, unless a build newer than the sources exists."""
    sources = [PROJECT / "pom.xml", *(PROJECT / "src").rglob("*")]
    newest = max(path.stat().st_mtime for path in sources if path.is_file())
    if JAR.exists() and (TARGET / "lib").is_dir() and JAR.stat().st_mtime >= newest:
        return JAR
    missing = toolchain_missing()
    if missing:
        raise ClusterError(f"cannot build the OpenSearch node: {missing}")
    command = ["mvn", "-B", *(["-q"] if quiet else []), "package"]
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise ClusterError(f"mvn package failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}")
    JAR.touch()
    return JAR


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (free when asked; taken by the next bind)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Node:
    """One node's fixed identity: its name, ports and home, which stay the same across restarts."""

    name: str
    http_port: int
    transport_port: int
    home: Path
    pid: int | None = None
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False, compare=False)

    @property
    def address(self) -> str:
        """``host:port`` of the node's REST API."""
        return f"127.0.0.1:{self.http_port}"


@dataclass
class Cluster:
    """A cluster of OpenSearch nodes as child processes of this machine, all on 127.0.0.1."""

    root: Path
    nodes: list[Node]
    name: str = "khabri-test"

    @classmethod
    def create(cls, root: Path, *, size: int = 2, name: str = "khabri-test") -> Cluster:
        """Lay out ``size`` nodes under ``root`` with fresh ports (nothing is started)."""
        nodes = [Node(f"n{i}", free_port(), free_port(), root / f"n{i}") for i in range(1, size + 1)]
        return cls(root=root, nodes=nodes, name=name)

    @property
    def url(self) -> str:
        """The ``opensearch+http://…`` URL that KHABRI_SEARCH takes."""
        return "opensearch+http://" + ",".join(node.address for node in self.nodes)

    def node(self, name: str) -> Node:
        """The node called ``name``."""
        return next(node for node in self.nodes if node.name == name)

    def _settings(self, node: Node) -> list[str]:
        seeds = ",".join(f"127.0.0.1:{other.transport_port}" for other in self.nodes)
        return [
            f"path.home={node.home}",
            f"path.data={node.home / 'data'}",
            f"path.logs={node.home / 'logs'}",
            f"cluster.name={self.name}",
            f"node.name={node.name}",
            "network.host=127.0.0.1",
            f"http.port={node.http_port}",
            f"transport.port={node.transport_port}",
            f"discovery.seed_hosts={seeds}",
            # Read only when the cluster first forms; a restarted node rejoins from its data directory.
            "cluster.initial_cluster_manager_nodes=" + ",".join(other.name for other in self.nodes),
            # A shared disk past the 85 % watermark would leave replicas unassigned; size is not tested here.
            "cluster.routing.allocation.disk.threshold_enabled=false",
            "action.auto_create_index=false",
        ]

    def start_node(self, node: Node) -> None:
        """Start one node as a detached process, its output in ``home/node.log``."""
        node.home.mkdir(parents=True, exist_ok=True)
        classpath = f"{JAR}{os.pathsep}{TARGET / 'lib' / '*'}"
        command = ["java", *JVM_OPTIONS, "-cp", classpath, MAIN_CLASS, *self._settings(node)]
        with (node.home / "node.log").open("ab") as log:
            node.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        node.pid = node.process.pid
        self.save()

    def start(self, *, timeout: float = 180.0) -> None:
        """Start every node and wait until they form one cluster."""
        for node in self.nodes:
            self.start_node(node)
        self.wait_for_nodes(len(self.nodes), timeout=timeout)

    def kill(self, name: str) -> None:
        """SIGKILL one node: no shutdown, as a crash or a pulled plug."""
        node = self.node(name)
        if node.pid is not None:
            _signal(node.pid, signal.SIGKILL)
            _reap(node, timeout=10)

    def stop(self, *, timeout: float = 30.0) -> None:
        """SIGTERM every node (a clean close), SIGKILL any still alive after ``timeout``."""
        for node in self.nodes:
            if node.pid is not None:
                _signal(node.pid, signal.SIGTERM)
        for node in self.nodes:
            if node.pid is not None and not _reap(node, timeout=timeout):
                _signal(node.pid, signal.SIGKILL)
                _reap(node, timeout=10)
        state = self.root / STATE_FILE
        if state.exists():
            state.unlink()

    def health(self, *, via: Node | None = None, query: str = "") -> dict[str, object]:
        """``GET /_cluster/health`` from one live node (the first that answers)."""
        candidates = [via] if via else [node for node in self.nodes if _alive(node)]
        last: Exception | None = None
        for node in candidates:
            try:
                with urllib.request.urlopen(
                    f"http://{node.address}/_cluster/health{query}", timeout=5
                ) as reply:
                    return dict(json.load(reply))
            except urllib.error.HTTPError as error:
                # 408: the wait_for_* condition did not hold in time; the body is the health all the same.
                with error:
                    try:
                        return dict(json.load(error))
                    except ValueError as unreadable:
                        last = unreadable
            except (OSError, ValueError) as error:
                last = error
        raise ClusterError(f"no node answered: {last}")

    def wait_for_nodes(self, count: int, *, timeout: float = 180.0, status: str = "yellow") -> None:
        """Wait until ``count`` nodes are in the cluster and its health is at least ``status``."""
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            for node in self.nodes:
                if node.process is not None and node.process.poll() is not None:
                    raise ClusterError(f"node {node.name} exited: see {node.home / 'node.log'}")
            try:
                last = self.health(query=f"?wait_for_status={status}&wait_for_nodes={count}&timeout=2s")
                if isinstance(last, dict) and not last.get("timed_out"):
                    return
            except ClusterError as error:
                last = error
            time.sleep(0.5)
        raise ClusterError(f"cluster not formed in {timeout:.0f} s: {last}")

    def save(self) -> None:
        """Write the node layout and pids, so a later ``stop`` in another process can end them."""
        self.root.mkdir(parents=True, exist_ok=True)
        rows = [
            {
                "name": n.name,
                "http": n.http_port,
                "transport": n.transport_port,
                "home": str(n.home),
                "pid": n.pid,
            }
            for n in self.nodes
        ]
        (self.root / STATE_FILE).write_text(json.dumps({"name": self.name, "nodes": rows}))

    @classmethod
    def load(cls, root: Path) -> Cluster | None:
        """The cluster that ``save`` described under ``root``, or None."""
        state = root / STATE_FILE
        if not state.exists():
            return None
        data = json.loads(state.read_text())
        nodes = [
            Node(row["name"], row["http"], row["transport"], Path(row["home"]), row["pid"])
            for row in data["nodes"]
        ]
        return cls(root=root, nodes=nodes, name=data["name"])


def _alive(node: Node) -> bool:
    if node.process is not None:
        return node.process.poll() is None
    if node.pid is None:
        return False
    try:
        os.kill(node.pid, 0)
    except ProcessLookupError:
        return False
    return True


def _signal(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _reap(node: Node, *, timeout: float) -> bool:
    """Wait for the node's process to end; True when it did."""
    if node.process is not None:
        try:
            node.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return False
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(node):
            return True
        time.sleep(0.2)
    return False


def main(argv: list[str] | None = None) -> int:
    """The command line: build, start or stop the cluster kept under ``--dir``."""
    parser = argparse.ArgumentParser(prog="search_cluster", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["build", "start", "stop"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="where the nodes keep data and logs")
    args = parser.parse_args(argv)
    try:
        if args.action == "build":
            print(build(quiet=False))
            return 0
        if args.action == "stop":
            running = Cluster.load(args.dir)
            if running is None:
                print(f"no cluster recorded under {args.dir}")
                return 0
            running.stop()
            print("stopped", ", ".join(node.name for node in running.nodes))
            return 0
        if Cluster.load(args.dir) is not None:
            print(f"a cluster is already recorded under {args.dir}: stop it first", file=sys.stderr)
            return 1
        build()
        shutil.rmtree(args.dir, ignore_errors=True)
        cluster = Cluster.create(args.dir, name="khabri")
        try:
            cluster.start()
        except ClusterError:
            cluster.stop()
            raise
        for node in cluster.nodes:
            print(f"{node.name}: pid {node.pid}, http {node.address}, log {node.home / 'node.log'}")
        print(cluster.url)
        return 0
    except ClusterError as error:
        print(f"search cluster: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
