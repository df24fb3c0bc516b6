"""A loopback KRaft cluster of N local broker nodes (fault and scale-out tests, benchmarks)."""

from __future__ import annotations

import time
from pathlib import Path

from streams.harness.broker import BrokerConfig, LocalBroker, stored_cluster_id
from streams.harness.jars import BrokerError
from streams.harness.processes import free_ports


class LocalCluster:
    """N combined broker+controller nodes on loopback forming one KRaft quorum (replication 3, min ISR 2 by default)."""

    def __init__(
        self,
        base_dir: Path,
        size: int = 3,
        *,
        heap: str = "384m",
        replication_factor: int | None = None,
        min_insync_replicas: int | None = None,
        jars_dir: Path | None = None,
        die_with_parent: bool = False,
    ) -> None:
        if size < 1:
            raise ValueError("a cluster needs at least one node")
        self.base_dir = base_dir.resolve()
        self.base_dir.mkdir(parents=True, exist_ok=True)
        replication = replication_factor or min(size, 3)
        min_isr = min_insync_replicas or max(1, replication - 1)
        ports = free_ports(2 * size)
        client_ports, controller_ports = ports[:size], ports[size:]
        voters = tuple((index + 1, controller_ports[index]) for index in range(size))
        cluster_id = stored_cluster_id(self.base_dir)
        self.nodes: list[LocalBroker] = [
            LocalBroker(
                BrokerConfig(
                    base_dir=self.base_dir / f"node-{index + 1}",
                    port=client_ports[index],
                    controller_port=controller_ports[index],
                    heap=heap,
                    node_id=index + 1,
                    quorum_voters=voters,
                    replication_factor=replication,
                    min_insync_replicas=min_isr,
                    cluster_id=cluster_id,
                    jars_dir=jars_dir,
                    die_with_parent=die_with_parent,
                )
            )
            for index in range(size)
        ]

    @property
    def bootstrap_servers(self) -> str:
        return ",".join(node.bootstrap_servers for node in self.nodes)

    def start(self, timeout: float = 120) -> None:
        """Launch every node first (a quorum needs a majority before any node is ready), then wait for all."""
        for node in self.nodes:
            node.launch()
        deadline = time.monotonic() + timeout
        try:
            for node in self.nodes:
                node.wait_ready(max(1.0, deadline - time.monotonic()))
            self._wait_metadata_complete(deadline)
        except BrokerError:
            self.stop()
            raise

    def _wait_metadata_complete(self, deadline: float) -> None:
        # A node is ready once it lists itself; the others learn of it a little later. A client that bootstraps from
        # a node still missing one (say the controller) fails with UnknownBrokerIdError, so the cluster is ready
        # only when every node lists every node.
        everyone = {node.config.node_id for node in self.nodes}
        for node in self.nodes:
            while True:
                try:
                    seen = node.unfenced_broker_ids()
                except Exception:  # any client error means: not ready yet
                    seen = set()
                if seen >= everyone:
                    break
                if time.monotonic() > deadline:
                    raise BrokerError(
                        f"Kafka node {node.config.node_id} lists brokers {sorted(seen)}, not all of {sorted(everyone)}"
                    )
                time.sleep(0.2)

    def stop_node(self, index: int, timeout: float = 30) -> None:
        """Controlled shutdown of nodes[index] (0-based; node id index + 1)."""
        self.nodes[index].stop(timeout)

    def kill_node(self, index: int) -> None:
        self.nodes[index].kill()

    def start_node(self, index: int, timeout: float = 90) -> None:
        self.nodes[index].start(timeout)

    def stop(self, timeout: float = 30) -> None:
        """Stop all nodes together: one by one, the last ones would wait in vain for a quorum to shut down cleanly."""
        running = [node for node in self.nodes if node.signal_stop()]
        for node in running:
            node.wait_stopped(timeout)
