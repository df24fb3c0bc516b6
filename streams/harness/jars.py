"""Kafka's jars for the local broker, fetched once by Maven from deploy/kafka-local/pom.xml, and the Java that runs them."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

KAFKA_LOCAL_DIR = Path(__file__).resolve().parents[2] / "deploy" / "kafka-local"
DEFAULT_JARS_DIR = KAFKA_LOCAL_DIR / "libs"
MIN_JAVA_MAJOR = 17


class BrokerError(RuntimeError):
    """The local broker could not be prepared, started or stopped; the message says why and what to do."""


def ensure_jars(jars_dir: Path | None = None) -> Path:
    """Return the folder holding Kafka's class path, running Maven only when the pom changed or jars are missing."""
    jars_dir = (jars_dir or DEFAULT_JARS_DIR).resolve()
    pom = KAFKA_LOCAL_DIR / "pom.xml"
    if not pom.is_file():
        raise BrokerError(f"{pom} not found: the local broker needs a source checkout of newsevents")
    digest = hashlib.sha256(pom.read_bytes()).hexdigest()
    stamp = jars_dir / ".pom-sha256"
    if _jars_current(jars_dir, stamp, digest):
        return jars_dir
    java_major()  # fail on a missing or old Java before a minute of downloads
    mvn = shutil.which("mvn")
    if mvn is None:
        raise BrokerError(
            "Maven (mvn) is not on PATH; it fetches the Kafka broker's jars once. Install it (Debian: apt-get install maven)."
        )
    jars_dir.mkdir(parents=True, exist_ok=True)
    with _file_lock(jars_dir / ".lock"):
        if _jars_current(jars_dir, stamp, digest):  # another process fetched them while we waited
            return jars_dir
        for old in jars_dir.glob("*.jar"):  # a changed pom must not leave two Kafka versions on the class path
            old.unlink()
        command = [mvn, "-q", "-B", "-f", str(pom), "package", f"-Djars.dir={jars_dir}"]
        log.info("fetching Kafka broker jars with Maven into %s", jars_dir)
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()[-4000:]
            raise BrokerError(f"Maven could not fetch the Kafka jars (exit {result.returncode}):\n{output}")
        if not any(jars_dir.glob("kafka_2.13-*.jar")):
            raise BrokerError(f"Maven finished but {jars_dir} holds no kafka_2.13 jar; check {pom}")
        stamp.write_text(digest + "\n")
    return jars_dir


def _jars_current(jars_dir: Path, stamp: Path, digest: str) -> bool:
    return stamp.is_file() and stamp.read_text().strip() == digest and any(jars_dir.glob("kafka_2.13-*.jar"))


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def java_executable() -> str:
    """The java binary: $JAVA_HOME/bin/java if set, else java on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        return str(Path(java_home) / "bin" / "java")
    java = shutil.which("java")
    if java is None:
        raise BrokerError(
            f"Java is not installed or not on PATH; the local Kafka broker needs Java {MIN_JAVA_MAJOR}+ "
            "(Debian: apt-get install openjdk-17-jre-headless)."
        )
    return java


@lru_cache(maxsize=1)
def java_major() -> int:
    """Major version of the java binary; raises BrokerError when it is missing or older than Kafka 4 needs."""
    java = java_executable()
    output = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', output)
    if match is None:
        raise BrokerError(f"cannot read the Java version from `{java} -version`: {output.strip()[:200]}")
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8" style
        major = int(match.group(2))
    if major < MIN_JAVA_MAJOR:
        raise BrokerError(f"Kafka 4 needs Java {MIN_JAVA_MAJOR}+, but {java} is Java {major}")
    return major
