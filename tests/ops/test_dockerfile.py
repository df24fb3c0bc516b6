"""The worker's Dockerfile (parsed with dockerfile-parse) and its build context, without a Docker engine."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from docker.utils.build import exclude_paths
from dockerfile_parse import DockerfileParser
from support.ops_files import DOCKERFILE, DOCKERIGNORE, REPO_ROOT, settings_from_variables, settings_variables

from streams.harness.processes import free_port

PINNED_PYTHON = re.compile(r"^python:3\.11\.\d+-slim-bookworm(@sha256:[0-9a-f]{64})?$")


@pytest.fixture(scope="module")
def parser() -> DockerfileParser:
    return DockerfileParser(str(DOCKERFILE))


def stages(parser: DockerfileParser) -> list[list[dict[str, Any]]]:
    """Instructions grouped by build stage (each list starts with its FROM)."""
    grouped: list[list[dict[str, Any]]] = []
    for instruction in parser.structure:
        if instruction["instruction"] == "FROM":
            grouped.append([])
        if grouped and instruction["instruction"] != "COMMENT":
            grouped[-1].append(instruction)
    return grouped


def final_stage(parser: DockerfileParser) -> list[dict[str, Any]]:
    return stages(parser)[-1]


def instructions(stage: list[dict[str, Any]], name: str) -> list[str]:
    return [instruction["value"] for instruction in stage if instruction["instruction"] == name]


def expand_args(value: str, parser: DockerfileParser) -> str:
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", lambda m: parser.args.get(m.group(1) or m.group(2), m.group(0)), value)


def healthcheck_command(parser: DockerfileParser) -> list[str]:
    (healthcheck,) = instructions(final_stage(parser), "HEALTHCHECK")
    command = healthcheck.split("CMD", 1)[1].strip()
    return json.loads(command) if command.startswith("[") else ["/bin/sh", "-c", command]


def test_multi_stage_build_on_one_pinned_slim_python(parser: DockerfileParser) -> None:
    assert len(stages(parser)) >= 2, "builder and runtime stages expected"
    images = parser.parent_images
    assert len(set(images)) == 1, f"builder and runtime should share one base image: {images}"
    assert PINNED_PYTHON.match(images[0]), f"base image not pinned to an exact 3.11 slim-bookworm tag: {images[0]}"


def test_runtime_stage_installs_the_built_wheels_only(parser: DockerfileParser) -> None:
    runtime = final_stage(parser)
    assert not instructions(runtime, "COPY") and not instructions(runtime, "ADD"), "runtime must not copy sources"
    installs = [run for run in instructions(runtime, "RUN") if "pip install" in run]
    assert len(installs) == 1
    assert "--no-index" in installs[0] and "from=builder" in installs[0]
    assert "[test]" not in installs[0] and "-e " not in installs[0]
    builder_runs = " ".join(instructions(stages(parser)[0], "RUN"))
    assert "pip wheel" in builder_runs


def test_runs_as_a_fixed_non_root_user(parser: DockerfileParser) -> None:
    users = instructions(final_stage(parser), "USER")
    assert users, "the runtime stage never leaves root"
    user = expand_args(users[-1], parser).split(":")[0]
    assert user.isdigit() and int(user) >= 1000, f"USER should be a numeric non-root uid, got {users[-1]!r}"
    # Kubernetes' runAsUser must be the same uid, or the data directory is not writable.
    deployment = (REPO_ROOT / "deploy/k8s/deployment.yaml").read_text()
    assert f"runAsUser: {user}" in deployment


def test_environment_is_made_of_settings_fields(parser: DockerfileParser, monkeypatch: pytest.MonkeyPatch) -> None:
    newsevents = {name: value for name, value in parser.envs.items() if name.startswith("NEWSEVENTS_")}
    assert set(newsevents) <= settings_variables()
    assert newsevents["NEWSEVENTS_WEB_HOST"] == "0.0.0.0", "inside a container the web server must not bind loopback"
    settings = settings_from_variables(newsevents, monkeypatch)
    assert instructions(final_stage(parser), "EXPOSE") == [str(settings.web_port)]
    # The data directory must exist and belong to the runtime user (created as root before USER).
    runs = " ".join(instructions(final_stage(parser), "RUN"))
    assert re.search(rf"install -d -o newsevents -g newsevents -m 07[0-7]0 {re.escape(str(settings.data_dir))}\b", runs)


def test_entrypoint_is_the_cli_and_the_default_command_the_worker(parser: DockerfileParser) -> None:
    runtime = final_stage(parser)
    assert [json.loads(value) for value in instructions(runtime, "ENTRYPOINT")] == [["newsevents"]]
    assert [json.loads(value) for value in instructions(runtime, "CMD")] == [["worker"]]


def test_healthcheck_probes_health_with_the_standard_library(parser: DockerfileParser) -> None:
    command = healthcheck_command(parser)
    assert command[0] == "python", "slim images have no curl or wget"
    assert "/health" in command[-1] and "NEWSEVENTS_WEB_PORT" in command[-1]
    (healthcheck,) = instructions(final_stage(parser), "HEALTHCHECK")
    options = dict(re.findall(r"--([\w-]+)=(\S+)", healthcheck.split("CMD", 1)[0]))
    assert {"interval", "timeout", "start-period", "retries"} <= options.keys()


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(self.status if self.path == "/health" else 404)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def health_server() -> Iterator[tuple[int, type[_Health]]]:
    handler = type("Health", (_Health,), {"status": 200})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], handler
    finally:
        server.shutdown()
        server.server_close()


def run_healthcheck(parser: DockerfileParser, port: int) -> int:
    command = healthcheck_command(parser)
    env = {"NEWSEVENTS_WEB_PORT": str(port), "PATH": str(Path(sys.executable).parent)}
    return subprocess.run([sys.executable, *command[1:]], env=env, capture_output=True, timeout=30).returncode


def test_healthcheck_passes_on_200_and_fails_on_503_or_no_server(
    parser: DockerfileParser, health_server: tuple[int, type[_Health]]
) -> None:
    port, handler = health_server
    assert run_healthcheck(parser, port) == 0
    handler.status = 503  # what /health answers while the worker is not consuming
    assert run_healthcheck(parser, port) != 0
    assert run_healthcheck(parser, free_port()) != 0


def dockerignore_patterns() -> list[str]:
    lines = DOCKERIGNORE.read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def build_context() -> set[str]:
    """Files Docker sends as the build context, computed by docker-py's implementation of .dockerignore."""
    return set(exclude_paths(str(REPO_ROOT), dockerignore_patterns()))


def test_build_context_holds_what_the_builder_copies_and_nothing_heavy(parser: DockerfileParser) -> None:
    context = build_context()
    for copy in instructions(stages(parser)[0], "COPY"):
        *sources, _ = shlex.split(copy)
        for source in sources:
            assert source in context, f"COPY {source}: missing from the build context (.dockerignore)"
            assert (REPO_ROOT / source).exists(), f"COPY {source}: no such file in the repository"
    heavy = {".venv", ".git", ".local", "deploy/kafka-local/libs", "tests", "bench"}
    leaked = {path for path in context if path.split("/")[0] in heavy or path.startswith("deploy/kafka-local/libs")}
    assert not leaked, f"the build context includes {sorted(leaked)[:5]}"
    assert not any("__pycache__" in path for path in context)


@pytest.mark.slow
def test_the_builder_stage_builds_a_complete_wheel_from_the_context(tmp_path: Path) -> None:
    """What `pip wheel .` in the builder stage does, on exactly the files of the build context."""
    context_dir = tmp_path / "context"
    for relative in build_context():
        source = REPO_ROOT / relative
        if source.is_file():
            target = context_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    wheels = tmp_path / "wheels"
    # --no-build-isolation: use this virtualenv's setuptools instead of downloading one during the test.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            ".",
        ],
        cwd=context_dir,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = wheels.glob("newsevents-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (entry_points,) = [name for name in names if name.endswith(".dist-info/entry_points.txt")]
        assert "newsevents = streams.commands.cli:main" in archive.read(entry_points).decode()
    packaged = {name for name in names if not name.split("/")[0].endswith(".dist-info")}
    context = build_context()
    # Every file the application ships at run time (code, lexicons, JSON Schemas) must be inside the wheel.
    for package in ("streams", "schemas"):
        for path in (REPO_ROOT / package).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in {".py", ".json"}:
                relative = path.relative_to(REPO_ROOT).as_posix()
                if relative in context:
                    assert relative in packaged, f"{relative} is missing from the wheel"
