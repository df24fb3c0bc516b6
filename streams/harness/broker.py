"""One local Apache Kafka (KRaft) node from Maven jars: configure, format, start, stop, status."""

from __future__ import annotations

import base64
import logging
import os
import re
import secrets
import signal
import subprocess
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any

from streams.harness.jars import KAFKA_LOCAL_DIR, BrokerError, ensure_jars, java_executable
from streams.harness.processes import HOST, free_ports, port_open, reap, rss_bytes, send_signal, terminate_with_parent

if TYPE_CHECKING:
    from streams.settings import Settings

log = logging.getLogger(__name__)

# The JVM flags of Kafka's own kafka-server-start.sh / kafka-run-class.sh, minus the heap (ours is explicit).
_SERVER_JVM_FLAGS = (
    "-server",
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:MetaspaceSize=96m",
    "-Djava.awt.headless=true",
)
# StorageTool runs for a second: the quick-starting compiler and GC matter more than throughput.
_TOOL_JVM_FLAGS = ("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true")
# Names and passwords end up inside JAAS config strings and StorageTool's --add-scram syntax,
# where quotes, commas, brackets, '=' and whitespace are separators.
_CREDENTIAL_PATTERN = re.compile(r"^[A-Za-z0-9._~!@#$%^&*()+\-/:;?|{}<>]+$")
# Inter-broker traffic on a SASL listener needs a user of its own; its password stays in the broker directory.
_INTERNAL_USER = "newsevents-internal-broker"


# -------------------------------------------------------------------------------------------- config


@dataclass(frozen=True)
class BrokerConfig:
    """One KRaft node (broker and controller in one JVM) on 127.0.0.1, with its data under base_dir."""

    base_dir: Path
    port: int = 9092
    controller_port: int = 9093
    heap: str = "512m"
    node_id: int = 1
    # username -> password: the client listener becomes SASL_PLAINTEXT with PLAIN and SCRAM-SHA-512.
    # SCRAM credentials are written when the storage is formatted (first start), PLAIN ones on every start.
    sasl_users: Mapping[str, str] | None = None
    # TLS on the client listener (SSL, or SASL_SSL with sasl_users): a PEM file with the node's unencrypted PKCS#8
    # private key and its certificate chain, and a PEM file of the CA certificates it trusts (the node connects
    # to its own listener for inter-broker traffic, so it must trust its own certificate's issuer).
    tls_keystore_pem: Path | None = None
    tls_truststore_pem: Path | None = None
    # (node id, controller port) of every controller in the quorum; None means this node alone.
    quorum_voters: tuple[tuple[int, int], ...] | None = None
    replication_factor: int = 1
    min_insync_replicas: int = 1
    # Shared by all nodes of a cluster; None: generated at the first start and kept in base_dir/cluster.id.
    cluster_id: str | None = None
    jars_dir: Path | None = None
    # Tests: SIGTERM the JVM when the process that started it dies, even by SIGKILL, so no broker outlives
    # an aborted test run. Linux ties this to the starting thread, so it applies only to starts from the
    # main thread. The CLI leaves it off: `newsevents broker start` exits and the broker keeps running.
    die_with_parent: bool = False

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d+[mMgG]", self.heap):
            raise ValueError(f"heap must look like 512m or 1g, got {self.heap!r}")
        if self.port == self.controller_port:
            raise ValueError("port and controller_port must differ")
        if self.min_insync_replicas > self.replication_factor:
            raise ValueError("min_insync_replicas cannot exceed replication_factor")
        if (self.tls_keystore_pem is None) != (self.tls_truststore_pem is None):
            raise ValueError("TLS needs both tls_keystore_pem and tls_truststore_pem")
        for name, password in (self.sasl_users or {}).items():
            if name == _INTERNAL_USER:
                raise ValueError(f"SASL user name {name!r} is reserved for inter-broker traffic")
            for label, value in (("user name", name), ("password", password)):
                if not _CREDENTIAL_PATTERN.match(value):
                    raise ValueError(
                        f"SASL {label} for {name!r} must be non-empty and free of quotes, commas, brackets, '=', "
                        "backslashes and whitespace"
                    )

    @classmethod
    def from_settings(cls, settings: Settings) -> BrokerConfig:
        """The local broker the settings point at; SASL_PLAINTEXT settings make it require those credentials."""
        from streams.settings import SecurityProtocol

        sasl_users = None
        if settings.security_protocol is SecurityProtocol.SASL_PLAINTEXT:
            assert settings.sasl_username and settings.sasl_password  # guaranteed by Settings' validator
            sasl_users = {settings.sasl_username: settings.sasl_password.get_secret_value()}
        elif settings.security_protocol is not SecurityProtocol.PLAINTEXT:
            raise BrokerError(
                f"the local broker offers PLAINTEXT or SASL_PLAINTEXT, not {settings.security_protocol.value}"
            )
        return cls(
            base_dir=settings.broker_dir,
            port=settings.broker_port,
            controller_port=settings.controller_port,
            heap=settings.broker_heap,
            sasl_users=sasl_users,
        )

    @property
    def bootstrap_servers(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def client_listener(self) -> str:
        """The security protocol (and listener name) of the client listener."""
        transport = "SSL" if self.tls_keystore_pem else "PLAINTEXT"
        if self.sasl_users:
            return f"SASL_{transport}"
        return transport

    @property
    def heap_flags(self) -> tuple[str, str]:
        """-Xms (half the maximum, at least 64 MiB) and -Xmx."""
        amount, unit = int(self.heap[:-1]), self.heap[-1].lower()
        mebibytes = amount * 1024 if unit == "g" else amount
        return f"-Xms{max(64, mebibytes // 2)}m", f"-Xmx{mebibytes}m"

    @property
    def voters(self) -> str:
        voters = self.quorum_voters or ((self.node_id, self.controller_port),)
        return ",".join(f"{node}@{HOST}:{port}" for node, port in voters)


def new_cluster_id() -> str:
    """A Kafka cluster id: a random UUID, base64url without padding (as StorageTool random-uuid prints it)."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cluster_id.startswith("-"):  # Kafka avoids these too: they read as a command-line flag
            return cluster_id


def stored_cluster_id(directory: Path) -> str:
    """The cluster id kept in directory/cluster.id, created on first use (formatted storage must keep its id)."""
    path = directory / "cluster.id"
    if not path.is_file():
        directory.mkdir(parents=True, exist_ok=True)
        path.write_text(new_cluster_id() + "\n")
    return path.read_text().strip()


@dataclass(frozen=True)
class BrokerStatus:
    running: bool
    pid: int | None
    bootstrap: str
    rss_bytes: int | None


# -------------------------------------------------------------------------------------------- broker


class LocalBroker:
    """A KRaft node started as a detached JVM; state lives in files under config.base_dir, so any process can stop it."""

    def __init__(self, config: BrokerConfig) -> None:
        self.config = config
        self.base_dir = config.base_dir.resolve()
        self.data_dir = self.base_dir / "data"
        self.logs_dir = self.base_dir / "logs"
        self.properties_path = self.base_dir / "server.properties"
        self.pid_path = self.base_dir / "kafka.pid"
        self.stdout_path = self.logs_dir / "kafka.out"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return self.config.bootstrap_servers

    def __repr__(self) -> str:
        return f"LocalBroker(node_id={self.config.node_id}, bootstrap={self.bootstrap_servers}, dir={self.base_dir})"

    # -- lifecycle

    def start(self, timeout: float = 90) -> None:
        """Start the broker unless it already runs, and return once it answers Kafka requests.

        A broker launched here that does not become ready in time is killed; one that was already running is
        left alone (and must have been started with this same config).
        """
        if self.is_running():
            if self.properties_path.read_text() != self.render_properties():
                raise BrokerError(
                    f"a broker with other settings already runs from {self.base_dir}; stop it first "
                    "(newsevents broker stop) or use another broker directory"
                )
            self.wait_ready(timeout)
            return
        self.launch()
        try:
            self.wait_ready(timeout)
        except BrokerError:
            self.kill()
            raise

    def launch(self) -> None:
        """Format storage on first use and spawn the JVM without waiting for it (a cluster launches all nodes first)."""
        if self.is_running():
            return
        for port in (self.config.port, self.config.controller_port):
            if port_open(port, timeout=0.2):
                raise BrokerError(f"port {HOST}:{port} is already in use by another process; choose another port")
        jars = ensure_jars(self.config.jars_dir)
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(exist_ok=True)
        self.logs_dir.mkdir(exist_ok=True)
        self._write_properties()
        if not (self.data_dir / "meta.properties").is_file():
            self._format_storage(jars)
        command = self._java_command(
            jars, [*self.config.heap_flags, *_SERVER_JVM_FLAGS], "kafka.Kafka", str(self.properties_path)
        )
        tie_to_parent = self.config.die_with_parent and threading.current_thread() is threading.main_thread()
        with open(self.stdout_path, "ab") as out:
            # Own session: Ctrl-C in the terminal that ran `newsevents broker start` must not reach the broker.
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=terminate_with_parent if tie_to_parent else None,
            )
        self.pid_path.write_text(f"{self._process.pid}\n")
        log.info(
            "launched Kafka node %s (pid %s) on %s", self.config.node_id, self._process.pid, self.bootstrap_servers
        )

    def wait_ready(self, timeout: float = 90) -> None:
        """Block until this node serves metadata listing itself as an unfenced broker; BrokerError if it does not."""
        deadline = time.monotonic() + timeout
        last_error = "port not open yet"
        while time.monotonic() < deadline:
            if not self.is_running():
                raise BrokerError(f"Kafka node {self.config.node_id} exited during start-up.\n{self.log_tail()}")
            if port_open(self.config.port):
                try:
                    if self._serves_itself():
                        return
                    last_error = "broker still fenced or not yet in the metadata"
                except Exception as error:  # any client error means: not ready yet
                    last_error = f"{type(error).__name__}: {error}"
            time.sleep(0.2)
        raise BrokerError(
            f"Kafka node {self.config.node_id} did not accept requests within {timeout:.0f}s ({last_error}).\n"
            f"{self.log_tail()}"
        )

    def stop(self, timeout: float = 30) -> None:
        """SIGTERM (controlled shutdown), then SIGKILL after timeout seconds. When not running: drops a stale pid file."""
        if self.signal_stop():
            self.wait_stopped(timeout)
        else:
            self._forget()

    def signal_stop(self) -> bool:
        """Send SIGTERM without waiting; True if the broker was running."""
        pid = self.pid()
        if pid is None:
            return False
        send_signal(pid, signal.SIGTERM)
        return True

    def wait_stopped(self, timeout: float = 30) -> None:
        """Wait for the JVM to exit, SIGKILL it after timeout seconds, and remove the pid file."""
        pid = self._recorded_pid()
        if pid is not None and not self._wait_exit(pid, timeout):
            log.warning("Kafka node %s ignored SIGTERM for %.0fs; killing it", self.config.node_id, timeout)
            send_signal(pid, signal.SIGKILL)
            self._wait_exit(pid, 10)
        self._forget()

    def kill(self) -> None:
        """SIGKILL without controlled shutdown (fault tests: a crashed broker). No-op when not running."""
        pid = self.pid()
        if pid is not None:
            send_signal(pid, signal.SIGKILL)
            self._wait_exit(pid, 10)
        self._forget()

    # -- inspection

    def pid(self) -> int | None:
        """The pid of this node's JVM if it is running (stale pid files are ignored)."""
        pid = self._recorded_pid()
        return pid if pid is not None and self._is_our_process(pid) else None

    def is_running(self) -> bool:
        return self.pid() is not None

    def status(self) -> BrokerStatus:
        pid = self.pid()
        return BrokerStatus(
            running=pid is not None,
            pid=pid,
            bootstrap=self.bootstrap_servers,
            rss_bytes=self._rss_bytes(pid) if pid is not None else None,
        )

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the JVM's stdout and server.log, for error messages."""
        parts = []
        for path in (self.stdout_path, self.logs_dir / "server.log"):
            if path.is_file():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path} (last {len(tail)} lines)\n" + "\n".join(tail))
        return "\n".join(parts) or f"(no logs under {self.logs_dir})"

    def client_config(self) -> dict[str, str]:
        """kafka-python security settings for the internal user (only for probes; tests use their own users)."""
        config: dict[str, str] = {}
        if self.config.client_listener != "PLAINTEXT":
            config["security_protocol"] = self.config.client_listener
        if self.config.tls_truststore_pem is not None:
            config["ssl_cafile"] = str(self.config.tls_truststore_pem)
        if self.config.sasl_users:
            config.update(
                sasl_mechanism="PLAIN",
                sasl_plain_username=_INTERNAL_USER,
                sasl_plain_password=self._internal_password(),
            )
        return config

    # -- internals

    def render_properties(self) -> str:
        """server.properties for this node: the template under deploy/kafka-local filled from the config."""
        config = self.config
        listener = config.client_listener
        template = Template((KAFKA_LOCAL_DIR / "server.properties.template").read_text())
        return template.substitute(
            node_id=config.node_id,
            controller_quorum_voters=config.voters,
            listeners=f"{listener}://{HOST}:{config.port},CONTROLLER://{HOST}:{config.controller_port}",
            advertised_listeners=f"{listener}://{HOST}:{config.port}",
            inter_broker_listener=listener,
            log_dirs=self.data_dir,
            replication_factor=config.replication_factor,
            min_insync_replicas=config.min_insync_replicas,
            security=self._security_properties(),
        )

    def _write_properties(self) -> None:
        # May hold passwords: readable by the owner only.
        fd = os.open(self.properties_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(self.render_properties())

    def _security_properties(self) -> str:
        return self._tls_properties() + self._sasl_properties()

    def _tls_properties(self) -> str:
        config = self.config
        if config.tls_keystore_pem is None or config.tls_truststore_pem is None:
            return ""
        return "\n".join(
            [
                "# TLS on the client listener (rendered by streams/harness/broker.py from BrokerConfig.tls_*_pem)",
                "ssl.keystore.type=PEM",
                f"ssl.keystore.location={config.tls_keystore_pem}",
                "ssl.truststore.type=PEM",
                f"ssl.truststore.location={config.tls_truststore_pem}",
                "ssl.client.auth=none",
                "",
            ]
        )

    def _sasl_properties(self) -> str:
        if not self.config.sasl_users:
            return ""
        internal_password = self._internal_password()
        users = {_INTERNAL_USER: internal_password, **self.config.sasl_users}
        plain_users = " ".join(f'user_{name}="{password}"' for name, password in users.items())
        prefix = f"listener.name.{self.config.client_listener.lower()}"
        return "\n".join(
            [
                "# SASL on the client listener (rendered by streams/harness/broker.py from BrokerConfig.sasl_users)",
                "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol=PLAIN",
                f"{prefix}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                f'username="{_INTERNAL_USER}" password="{internal_password}" {plain_users};',
                f"{prefix}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "",
            ]
        )

    def _internal_password(self) -> str:
        """The inter-broker user's password, created once per broker directory (owner-only file)."""
        path = self.base_dir / "internal-broker.secret"
        if not path.is_file():
            self.base_dir.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(24))
        return path.read_text().strip()

    def _cluster_id(self) -> str:
        return self.config.cluster_id or stored_cluster_id(self.base_dir)

    def _java_command(self, jars: Path, jvm_flags: Sequence[str], main_class: str, *arguments: str) -> list[str]:
        return [
            java_executable(),
            *jvm_flags,
            f"-Dlog4j2.configurationFile={KAFKA_LOCAL_DIR / 'log4j2.properties'}",
            f"-Dkafka.logs.dir={self.logs_dir}",
            "-cp",
            f"{jars}/*",
            main_class,
            *arguments,
        ]

    def _format_storage(self, jars: Path) -> None:
        command = self._java_command(
            jars,
            _TOOL_JVM_FLAGS,
            "kafka.tools.StorageTool",
            "format",
            "--cluster-id",
            self._cluster_id(),
            "--config",
            str(self.properties_path),
            "--ignore-formatted",
        )
        for name, password in (self.config.sasl_users or {}).items():
            command += ["--add-scram", f"SCRAM-SHA-512=[name={name},password={password}]"]
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
        if result.returncode != 0:
            # The output may echo the command line, which holds SCRAM passwords: show only Kafka's error lines.
            message = "\n".join(line for line in (result.stdout + result.stderr).splitlines() if "password" not in line)
            raise BrokerError(
                f"formatting Kafka storage in {self.data_dir} failed (exit {result.returncode}):\n{message}"
            )

    def _serves_itself(self) -> bool:
        return self.config.node_id in self.unfenced_broker_ids()

    def unfenced_broker_ids(self) -> set[int]:
        """The brokers this node's metadata lists as unfenced (asks this node only). Raises on client errors."""
        from kafka.admin import KafkaAdminClient

        admin = KafkaAdminClient(
            bootstrap_servers=self.bootstrap_servers,
            client_id=f"newsevents-broker-probe-{self.config.node_id}",
            bootstrap_timeout_ms=3000,
            request_timeout_ms=5000,
            **self.client_config(),
        )
        try:
            brokers = admin.describe_cluster()["brokers"]
        finally:
            admin.close()
        return {b["broker_id"] for b in brokers if not b.get("is_fenced", False)}

    def _recorded_pid(self) -> int | None:
        try:
            return int(self.pid_path.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def _is_our_process(self, pid: int) -> bool:
        """Alive, not a zombie, and really this node's JVM (pids get reused after a reboot or crash)."""
        if self._process is not None and self._process.pid == pid:
            # Our own child: poll() is exact, and /proc/<pid>/cmdline is briefly empty right after exec.
            return self._process.poll() is None
        reap(pid)
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return False
        return state != "Z" and b"kafka.Kafka" in cmdline and str(self.properties_path).encode() in cmdline

    def _wait_exit(self, pid: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._is_our_process(pid):
                return True
            time.sleep(0.1)
        return not self._is_our_process(pid)

    @staticmethod
    def _rss_bytes(pid: int) -> int | None:
        try:
            return rss_bytes(pid)
        except ProcessLookupError:
            return None

    def _forget(self) -> None:
        self.pid_path.unlink(missing_ok=True)
        self._process = None


def loopback_broker(base_dir: Path, **config: Any) -> LocalBroker:
    """A node (not started) on two free loopback ports that dies with the process starting it, unless config says not."""
    port, controller_port = free_ports(2)
    config.setdefault("die_with_parent", True)
    return LocalBroker(BrokerConfig(base_dir=base_dir, port=port, controller_port=controller_port, **config))
