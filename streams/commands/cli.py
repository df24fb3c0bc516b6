"""The `newsevents` command: broker, topics, worker, feed, tail, stories, replay, extract, demo.

Every user error ends in one line on stderr, `newsevents <command>: <cause>; <fix>`, and an exit code by cause
(EXIT_* below). Tracebacks appear only with `--debug` or for real bugs.
"""

from __future__ import annotations

import argparse
import errno
import socket
import sys
from collections.abc import Callable, Sequence

from pydantic import ValidationError

from schemas import EventType, enum_values
from streams.settings import LOG_LEVELS, Settings, get_settings, unknown_variables

EXIT_FAILED = (
    1  # the command ran and failed: Kafka refused us (credentials, certificate), an operation failed, nothing readable
)
EXIT_USAGE = 2  # bad settings or arguments
EXIT_NO_BROKER = 3  # no broker reachable (and `broker status`: not running)
EXIT_INPUT = 4  # feed: some files could not be read or some articles not sent
EXIT_NO_TOPIC = 5  # a topic to read does not exist
EXIT_PORT_IN_USE = 6  # the worker's web port is taken


class UserError(Exception):
    """A failure the user can fix: printed as one line, never as a traceback (unless --debug)."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the argument and pointing at --help (exit 2)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: {message}; see `{self.prog} --help`\n")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number above 0, got {text}")
    return value


def _whole_number_from(minimum: int) -> Callable[[str], int]:
    """An argument type: a whole number of `minimum` or more."""

    def whole_number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, got {text}")
        return value

    return whole_number


_positive_int = _whole_number_from(1)
_non_negative_int = _whole_number_from(0)


def _confidence(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {text}")
    return value


def _log_level(text: str) -> str:
    if text.lower() not in LOG_LEVELS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a log level; use one of {', '.join(LOG_LEVELS)}")
    return text.lower()


def _settings_or_exit() -> Settings:
    """Settings from the environment, or one line naming each wrong variable and exit code 2."""
    unknown = unknown_variables()
    if unknown:
        problems = [f"{name}{f' (did you mean {close}?)' if close else ''}" for name, close in unknown]
        raise UserError(
            f"unknown setting {', '.join(problems)}; fix the name or unset it (valid names: README, section Settings)",
            EXIT_USAGE,
        )
    try:
        return get_settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            variable = f"NEWSEVENTS_{field.upper()}" if field else "settings"
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{variable}: {message}")
        raise UserError(f"invalid settings: {'; '.join(problems)}; fix or unset these variables", EXIT_USAGE) from None


def _kafka_or_exit(command: str, settings: Settings) -> None:
    """Stop with one line when no broker answers (exit 3, with the hint to start one) or it refuses our
    credentials or certificate (exit 1).

    The Kafka clients themselves would retry (faust forever, kafka-python until a generic bootstrap timeout)
    without saying that the password or mechanism is wrong.
    """
    from streams.kafka.preflight import KafkaUnavailable, check_kafka

    try:
        check_kafka(settings, timeout=settings.connect_timeout_seconds)
    except KafkaUnavailable as exc:
        from streams.kafka.preflight import KafkaAuthenticationFailed, KafkaCertificateRejected

        if isinstance(exc, (KafkaAuthenticationFailed, KafkaCertificateRejected)):
            raise UserError(str(exc), EXIT_FAILED) from None
        raise UserError(
            f"{exc}; is the broker running? Start the local one with `newsevents broker start`, "
            "or point NEWSEVENTS_BOOTSTRAP_SERVERS at yours",
            EXIT_NO_BROKER,
        ) from None


def _check_port_free(host: str, port: int) -> None:
    """The web port must be free before the worker joins its group (else faust fails after 70 log lines)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(
                    f"web port {host}:{port} is already in use (another worker or the demo?); "
                    "stop that process or set NEWSEVENTS_WEB_PORT to a free port",
                    EXIT_PORT_IN_USE,
                ) from None
            raise UserError(
                f"cannot bind the web server to {host}:{port}: {exc.strerror or exc}; check NEWSEVENTS_WEB_HOST",
                EXIT_USAGE,
            ) from None


# ----------------------------------------------------------------------------------------------- commands


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.harness.broker import BrokerConfig, LocalBroker
    from streams.harness.jars import BrokerError, ensure_jars

    broker = LocalBroker(BrokerConfig.from_settings(settings))
    try:
        if args.action == "start":
            ensure_jars()
            broker.start()
        elif args.action == "stop":
            broker.stop()
    except BrokerError as exc:
        print(f"newsevents broker {args.action}: {exc}", file=sys.stderr)
        return 1
    status = broker.status()
    if status.running:
        memory = f", resident memory {status.rss_bytes / 2**20:.0f} MiB" if status.rss_bytes else ""
        print(f"broker running at {status.bootstrap} (pid {status.pid}{memory}), data in {broker.base_dir}")
    else:
        print(f"broker not running ({status.bootstrap}, data in {broker.base_dir})")
    return 0 if status.running or args.action == "stop" else 3


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    from kafka.errors import KafkaError

    from streams.kafka.topics import TopicSetupError, describe_topics, ensure_topics, list_topics

    _kafka_or_exit(f"topics {args.action}", settings)
    try:
        if args.action == "list":
            for info in list_topics(settings).values():
                print(f"{info.name}\tpartitions {info.partitions}\treplication {info.replication_factor}")
            return 0
        if args.action == "describe":
            names = args.names or settings.all_topics
            missing = []
            for name, info in describe_topics(settings, names).items():
                if info is None:
                    missing.append(name)
                    continue
                configs = " ".join(f"{key}={value}" for key, value in sorted(info.configs.items()))
                print(f"{name}\tpartitions {info.partitions}\treplication {info.replication_factor}\t{configs}")
            if missing:
                raise UserError(
                    f"topic {', '.join(missing)} does not exist; create the pipeline's topics with `newsevents topics create`",
                    EXIT_NO_TOPIC,
                )
            return 0
        states = ensure_topics(settings)
    except TopicSetupError as exc:
        raise UserError(str(exc), EXIT_USAGE) from None
    except KafkaError as exc:
        raise UserError(f"{exc} (bootstrap servers {settings.bootstrap_servers})") from None
    for name, state in states.items():
        real = (
            f"partitions {state.info.partitions}, replication {state.info.replication_factor}"
            if state.info
            else "not yet visible"
        )
        print(f"{name}\t{state.state}\t({real})")
        for difference in state.differences:
            print(
                f"newsevents topics create: warning: {name} {difference}; existing topics are not changed",
                file=sys.stderr,
            )
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.worker.app import run_worker

    _check_port_free(settings.web_host, settings.web_port)
    _kafka_or_exit("worker", settings)
    run_worker(settings, loglevel=args.log_level)
    return 0  # not reached: the faust worker exits the process itself


def cmd_feed(args: argparse.Namespace, settings: Settings) -> int:
    from kafka import KafkaProducer
    from kafka.errors import KafkaError

    from streams.commands.feed import FeedRecord, FeedResult, produce, repeated
    from streams.commands.inputs import InputProblem, read_inputs
    from streams.kafka.connection import kafka_python_options

    records: list[FeedRecord] = []
    problems: list[str] = []
    oversize = 0
    for path in args.files:
        for item in read_inputs(path, args.format, max_bytes=settings.max_message_bytes):
            if isinstance(item, InputProblem):
                problems.append(str(item))
                continue
            oversize += item.too_large
            records.append(FeedRecord(item.key, item.value, item.origin))
    for problem in problems:
        print(f"newsevents feed: {problem}", file=sys.stderr)
    if not records:
        raise UserError(
            "nothing to send: no file held an article; give JSON Lines, JSON or UTF-8 text files", EXIT_INPUT
        )
    if oversize:
        print(
            f"newsevents feed: {oversize} article(s) above NEWSEVENTS_MAX_MESSAGE_BYTES={settings.max_message_bytes} "
            "are sent when the broker accepts them and dead-lettered by the worker as too_large",
            file=sys.stderr,
        )
    _kafka_or_exit("feed", settings)
    topic = args.topic or settings.topic_raw
    # Oversize articles must reach the worker (which dead-letters them), so allow up to the broker's limit.
    request_limit = max(settings.max_message_bytes + 64 * 1024, 1_048_576)
    producer = KafkaProducer(
        acks="all",
        linger_ms=5,
        max_request_size=request_limit,
        client_id=f"{settings.app_id}-feed",
        **kafka_python_options(settings),
    )
    result = FeedResult()
    try:
        produce(
            producer,
            topic,
            repeated(records, args.repeat),
            total=len(records) * args.repeat,
            rate=args.rate,
            request_limit=request_limit,
            result=result,
        )
    except KafkaError as exc:
        raise UserError(f"sending to {topic} failed after {result.sent} messages: {exc}") from None
    finally:
        producer.close()
    shown = result.not_sent[:20]
    for failure in shown:
        print(f"newsevents feed: {failure}", file=sys.stderr)
    if len(result.not_sent) > len(shown):
        print(f"newsevents feed: … and {len(result.not_sent) - len(shown)} more not sent", file=sys.stderr)
    print(f"fed {result.sent} messages to {topic}", file=sys.stderr)
    return EXIT_INPUT if problems or result.not_sent else 0


def cmd_tail(args: argparse.Namespace, settings: Settings) -> int:
    import orjson

    from streams.kafka.reader import BadStartTime, EventFilter, TopicReader, UnknownTopic, parse_since

    if args.group is not None and (args.offset is not None or args.since is not None):
        raise UserError(
            "--group starts at the group's committed offsets; use --offset or --since without --group", EXIT_USAGE
        )
    try:
        since_ms = parse_since(args.since) if args.since is not None else None
    except BadStartTime as exc:
        raise UserError(f"--since: {exc}", EXIT_USAGE) from None
    wanted = EventFilter(
        types=frozenset(args.type or ()),
        countries=frozenset(code.upper() for code in args.country or ()),
        min_confidence=args.min_confidence,
        modalities=frozenset(args.modality or ()),
    )
    as_json = args.json or args.headers
    _kafka_or_exit("tail", settings)
    try:
        reader = TopicReader(
            settings,
            args.topics,
            from_beginning=args.from_beginning,
            read_committed=args.read_committed,
            group=args.group,
            offset=args.offset,
            since_ms=since_ms,
        )
    except UnknownTopic as exc:
        raise UserError(str(exc), EXIT_NO_TOPIC) from None
    with reader:
        try:
            for record in reader.records(max_records=args.max, idle_timeout=args.timeout, accept=wanted.matches):
                if as_json:
                    line = orjson.dumps(record.envelope()).decode()
                else:
                    line = record.value.decode("utf-8", errors="replace") if record.value is not None else "null"
                print(line, flush=True)
                reader.mark(record)
        except KeyboardInterrupt:
            pass
        except BrokenPipeError:  # `newsevents tail … | head`: the reader left, which is not an error
            sys.stdout = None  # type: ignore[assignment]  # keep the interpreter from flushing into the closed pipe
        finally:
            reader.commit()
    return 0


def cmd_stories(args: argparse.Namespace, settings: Settings) -> int:
    import shutil

    from streams.commands.stories import json_line, latest_stories, table_lines
    from streams.kafka.reader import BadStartTime, TopicReader, UnknownTopic, parse_since
    from streams.stories.views import select_story_views

    try:
        since_ms = parse_since(args.since) if args.since is not None else None
    except BadStartTime as exc:
        raise UserError(f"--since: {exc}", EXIT_USAGE) from None
    _kafka_or_exit("stories", settings)
    try:
        # read_committed: under exactly_once a story version of an aborted transaction never happened
        reader = TopicReader(settings, [settings.topic_stories], from_beginning=True, read_committed=True)
    except UnknownTopic as exc:
        raise UserError(str(exc), EXIT_NO_TOPIC) from None
    with reader:
        try:
            latest = latest_stories(reader.records_to_end())
        except TimeoutError as exc:
            raise UserError(f"{exc}; is the broker overloaded? Try again") from None
    if latest.not_stories:
        print(
            f"newsevents stories: skipped {latest.not_stories} value(s) on {settings.topic_stories} that are not stories",
            file=sys.stderr,
        )
    stories = select_story_views(
        latest.stories,
        event_type=args.type,
        actor=args.actor,
        since=None if since_ms is None else since_ms / 1000,
    )[: args.limit]
    try:
        if args.json or not sys.stdout.isatty():
            for story in stories:
                print(json_line(story))
        elif stories:
            print("\n".join(table_lines(stories, width=shutil.get_terminal_size().columns)))
        else:
            print("no stories match" if latest.stories else f"no stories on {settings.topic_stories} yet")
        sys.stdout.flush()
    except BrokenPipeError:  # `newsevents stories | head`: the reader left, which is not an error
        sys.stdout = None  # type: ignore[assignment]  # keep the interpreter from flushing into the closed pipe
    return 0


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    from streams.kafka.reader import BadStartTime, parse_since
    from streams.kafka.replay import GroupActive, replay

    if (args.since is None) == (not args.to_earliest):
        raise UserError("give --since TIME or --to-earliest", EXIT_USAGE)
    try:
        since_ms = parse_since(args.since) if args.since is not None else None
    except BadStartTime as exc:
        raise UserError(f"--since: {exc}", EXIT_USAGE) from None
    _kafka_or_exit("replay", settings)
    try:
        moved = replay(settings, since_ms=since_ms, dry_run=args.dry_run)
    except LookupError as exc:
        raise UserError(str(exc), EXIT_NO_TOPIC) from None
    except GroupActive as exc:
        raise UserError(str(exc)) from None
    for item in moved:
        before = "none" if item.before is None else str(item.before)
        print(f"{settings.topic_raw}[{item.partition}]\t{before} -> {item.after}")
    verb = "would reprocess" if args.dry_run else "will reprocess"
    print(
        f"group {settings.app_id} {verb} from these offsets when its workers start; event ids are deterministic, "
        "so consumers that deduplicate by event_id see updates, not duplicates",
        file=sys.stderr,
    )
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from streams.commands.extract import run_extract

    return run_extract(args.files, output=args.output, plain_text=args.text, settings=settings, fmt=args.format)


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from streams.commands.demo import run_demo

    # Before anything starts: with the port taken the demo's worker could not serve /health, and the demo would
    # wait on (or trust) whatever process answers there.
    _check_port_free(settings.web_host, settings.web_port)
    return run_demo(settings, once=args.once, timeout=args.timeout)


# ----------------------------------------------------------------------------------------------- parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from schemas import SCHEMA_VERSION

    try:
        package = version("newsevents")
    except PackageNotFoundError:
        package = "unknown"
    return f"newsevents {package} (event schema v{SCHEMA_VERSION})"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="newsevents",
        description="Real-time news event extraction on Kafka. Settings come from NEWSEVENTS_* environment variables.",
        epilog="exit codes: 0 ok, 1 failed, 2 bad settings or arguments, 3 no broker, 4 input not read or not sent, "
        "5 unknown topic, 6 web port in use",
    )
    parser.add_argument("--version", action="version", version=_version())
    parser.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    broker = commands.add_parser("broker", help="start, stop or inspect the local single-node Kafka broker")
    broker.add_argument("action", choices=["start", "stop", "status"], help="start waits until it accepts connections")
    broker.set_defaults(handler=cmd_broker)

    topics = commands.add_parser("topics", help="create, list or describe the pipeline's topics")
    topics.add_argument(
        "action", choices=["create", "list", "describe"], help="create is idempotent and reports what exists"
    )
    topics.add_argument("names", nargs="*", metavar="TOPIC", help="describe: these topics (default: the pipeline's)")
    topics.set_defaults(handler=cmd_topics)

    worker = commands.add_parser("worker", help="run the Faust worker until SIGTERM/Ctrl-C")
    worker.add_argument(
        "-l",
        "--log-level",
        type=_log_level,
        default=None,
        help="debug, info, warning, error (default: NEWSEVENTS_LOG_LEVEL)",
    )
    worker.set_defaults(handler=cmd_worker)

    feed = commands.add_parser("feed", help="send articles from files to the raw topic")
    feed.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="JSON Lines, JSON (object or array) or UTF-8 plain text; '-' reads stdin",
    )
    feed.add_argument(
        "--format",
        choices=["auto", "jsonl", "json", "text"],
        default="auto",
        help="override detection by suffix and content",
    )
    feed.add_argument("--rate", type=_positive_float, default=None, metavar="N", help="at most N messages per second")
    feed.add_argument(
        "--repeat",
        type=_positive_int,
        default=1,
        metavar="K",
        help="send everything K times (ids get a ~k suffix after the first round)",
    )
    feed.add_argument("--topic", default=None, help="target topic (default: NEWSEVENTS_TOPIC_RAW)")
    feed.set_defaults(handler=cmd_feed)

    tail = commands.add_parser("tail", help="print records of topics as they arrive, one JSON value per line")
    tail.add_argument("topics", nargs="+", metavar="TOPIC")
    start = tail.add_mutually_exclusive_group()
    start.add_argument("--from-beginning", action="store_true", help="start at the oldest record, not at the end")
    start.add_argument(
        "--offset", type=_non_negative_int, default=None, metavar="N", help="start at offset N of every partition"
    )
    start.add_argument(
        "--since",
        default=None,
        metavar="TIME",
        help="start at the first record at/after TIME (ISO 8601, or 30s, 15m, 2h, 1d ago)",
    )
    tail.add_argument(
        "--group",
        default=None,
        metavar="GROUP",
        help="consume as this consumer group and commit what was printed (durable)",
    )
    tail.add_argument("--max", type=_positive_int, default=None, metavar="N", help="stop after N records")
    tail.add_argument(
        "--timeout", type=_positive_float, default=None, metavar="S", help="stop when nothing arrived for S seconds"
    )
    tail.add_argument(
        "--json",
        action="store_true",
        help="one JSON envelope per record: topic, partition, offset, timestamp, key, headers, value",
    )
    tail.add_argument("--headers", action="store_true", help="same as --json (kept for old scripts)")
    tail.add_argument("--read-committed", action="store_true", help="hide records of open or aborted transactions")
    tail.add_argument(
        "--type",
        action="append",
        choices=enum_values(EventType),
        help="only events of this type (repeatable)",
    )
    tail.add_argument(
        "--country",
        action="append",
        metavar="ISO3",
        help="only events whose actor or location is in this country (repeatable)",
    )
    tail.add_argument(
        "--min-confidence", type=_confidence, default=None, metavar="X", help="only events with confidence >= X"
    )
    tail.add_argument(
        "--modality",
        action="append",
        choices=["asserted", "reported", "possible"],
        help="only events of this modality (repeatable)",
    )
    tail.set_defaults(handler=cmd_tail)

    stories = commands.add_parser(
        "stories",
        help="the current stories (latest version of each on the stories topic), newest first; "
        "a table in a terminal, JSON Lines when piped",
    )
    stories.add_argument("--type", choices=["deployment", "denial", "policy_shift"], help="only stories of this type")
    stories.add_argument(
        "--actor", default=None, metavar="ACTOR", help="only stories of this actor: ISO code (DEU) or name (NATO)"
    )
    stories.add_argument(
        "--since",
        default=None,
        metavar="TIME",
        help="only stories last seen (by publication time) at/after TIME: 30m, 2h, 3d ago, or ISO 8601",
    )
    stories.add_argument("--limit", type=_positive_int, default=None, metavar="N", help="only the N newest")
    stories.add_argument("--json", action="store_true", help="JSON Lines (one story per line) also in a terminal")
    stories.set_defaults(handler=cmd_stories)

    replay = commands.add_parser(
        "replay", help="move the workers' group back on the raw topic to reprocess (workers stopped)"
    )
    when = replay.add_mutually_exclusive_group()
    when.add_argument(
        "--since",
        default=None,
        metavar="TIME",
        help="from the first article at/after TIME (ISO 8601, or 30m, 2h, 1d ago)",
    )
    when.add_argument("--to-earliest", action="store_true", help="from the oldest article the topic still holds")
    replay.add_argument("--dry-run", action="store_true", help="show the offsets, change nothing")
    replay.set_defaults(handler=cmd_replay)

    extract = commands.add_parser("extract", help="extract events offline from files (no Kafka), JSON Lines out")
    extract.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="JSON Lines, JSON (object or array) or UTF-8 plain text (stdin when none)",
    )
    extract.add_argument("-o", "--output", default=None, metavar="OUT", help="write events here instead of stdout")
    extract.add_argument(
        "--format",
        choices=["auto", "jsonl", "json", "text"],
        default="auto",
        help="override detection by suffix and content",
    )
    extract.add_argument("--text", action="store_true", help="inputs are plain-text articles (same as --format text)")
    extract.set_defaults(handler=cmd_extract)

    demo = commands.add_parser("demo", help="broker + topics + worker + example articles, printing events live")
    demo.add_argument("--once", action="store_true", help="exit when the fed articles are processed")
    demo.add_argument(
        "--timeout", type=_positive_float, default=120.0, metavar="S", help="with --once: give up after S seconds"
    )
    demo.set_defaults(handler=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = f"newsevents {args.command}"
    try:
        settings = _settings_or_exit()
        return args.handler(args, settings)
    except UserError as exc:
        if args.debug:
            raise
        print(f"{command}: {exc}", file=sys.stderr)
        return exc.code
    except Exception as exc:
        from kafka.errors import KafkaError as SyncKafkaError

        if isinstance(exc, SyncKafkaError) and not args.debug:
            print(f"{command}: Kafka error: {exc}; rerun with --debug for details", file=sys.stderr)
            return EXIT_FAILED
        raise


if __name__ == "__main__":
    sys.exit(main())
