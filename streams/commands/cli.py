"""The `newsevents` command: broker, topics, worker, feed, tail, extract, demo."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from streams.settings import Settings, get_settings

EXIT_USAGE = 2


def _settings_or_exit() -> Settings:
    """Settings from the environment, or a readable list of what is wrong and exit code 2."""
    try:
        return get_settings()
    except ValidationError as exc:
        lines = ["newsevents: invalid settings (environment variables NEWSEVENTS_*):"]
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"]) or "settings"
            variable = f"NEWSEVENTS_{field.upper()}" if error["loc"] else field
            lines.append(f"  {variable}: {error['msg']}")
        print("\n".join(lines), file=sys.stderr)
        raise SystemExit(EXIT_USAGE) from None


def _kafka_or_exit(command: str, settings: Settings) -> None:
    """Exit 1 with a clear message when no broker answers or it refuses our credentials.

    The Kafka clients themselves would retry (faust forever, kafka-python until a generic bootstrap timeout)
    without saying that the password or mechanism is wrong.
    """
    from streams.kafka.preflight import KafkaUnavailable, check_kafka

    try:
        check_kafka(settings)
    except KafkaUnavailable as exc:
        print(f"newsevents {command}: {exc}", file=sys.stderr)
        raise SystemExit(1) from None


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

    from streams.kafka.topics import create_topics

    _kafka_or_exit("topics create", settings)
    try:
        states = create_topics(settings)
    except KafkaError as exc:
        print(f"newsevents topics create: {exc} (bootstrap servers {settings.bootstrap_servers})", file=sys.stderr)
        return 1
    for name, state in states.items():
        print(f"{name}\t{state}\t(partitions {settings.partitions}, replication {settings.replication_factor})")
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.worker.app import run_worker

    _kafka_or_exit("worker", settings)
    run_worker(settings, loglevel=args.log_level)
    return 0  # not reached: the faust worker exits the process itself


def cmd_feed(args: argparse.Namespace, settings: Settings) -> int:
    from kafka import KafkaProducer

    from streams.kafka.connection import kafka_python_options
    from streams.commands.feed import produce, read_records, repeated

    records = []
    for path in args.files:
        try:
            records.extend(read_records(Path(path), args.format))
        except (OSError, ValueError) as exc:
            print(f"newsevents feed: cannot read {path}: {exc}", file=sys.stderr)
            return 1
    _kafka_or_exit("feed", settings)
    topic = args.topic or settings.topic_raw
    producer = KafkaProducer(
        acks="all",
        linger_ms=5,
        # Oversize articles must reach the worker (which dead-letters them), so allow up to the broker's limit.
        max_request_size=max(settings.max_message_bytes + 64 * 1024, 1_048_576),
        client_id=f"{settings.app_id}-feed",
        **kafka_python_options(settings),
    )
    try:
        sent = produce(producer, topic, repeated(records, args.repeat), total=len(records) * args.repeat, rate=args.rate)
    finally:
        producer.close()
    print(f"fed {sent} messages to {topic}", file=sys.stderr)
    return 0


def cmd_tail(args: argparse.Namespace, settings: Settings) -> int:
    from streams.kafka.reader import TopicReader

    _kafka_or_exit("tail", settings)
    with TopicReader(settings, args.topics, from_beginning=args.from_beginning, read_committed=args.read_committed) as reader:
        try:
            for record in reader.records(max_records=args.max, idle_timeout=args.timeout):
                line = record.value.decode("utf-8", errors="replace") if record.value is not None else "null"
                if args.headers:
                    headers = " ".join(f"{k}={v.decode('utf-8', errors='replace')}" for k, v in record.headers)
                    print(f"# {record.topic}[{record.partition}]@{record.offset} {headers}")
                print(line, flush=True)
        except KeyboardInterrupt:
            pass
        except BrokenPipeError:  # `newsevents tail … | head`: the reader left, which is not an error
            sys.stdout = None  # type: ignore[assignment]  # keep the interpreter from flushing into the closed pipe
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    from streams.commands.extract import run_extract

    return run_extract(args.files, output=args.output, plain_text=args.text, settings=settings)


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from streams.commands.demo import run_demo

    return run_demo(settings, once=args.once, timeout=args.timeout)


# ----------------------------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsevents",
        description="Real-time news event extraction on Kafka. Settings come from NEWSEVENTS_* environment variables.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    broker = commands.add_parser("broker", help="start, stop or inspect the local single-node Kafka broker")
    broker.add_argument("action", choices=["start", "stop", "status"], help="start waits until it accepts connections")
    broker.set_defaults(handler=cmd_broker)

    topics = commands.add_parser("topics", help="create the pipeline's topics (idempotent)")
    topics.add_argument("action", choices=["create"])
    topics.set_defaults(handler=cmd_topics)

    worker = commands.add_parser("worker", help="run the Faust worker until SIGTERM/Ctrl-C")
    worker.add_argument("-l", "--log-level", default=None, help="debug, info, warning, error (default: NEWSEVENTS_LOG_LEVEL)")
    worker.set_defaults(handler=cmd_worker)

    feed = commands.add_parser("feed", help="send articles from files to the raw topic")
    feed.add_argument("files", nargs="+", metavar="FILE", help="JSON Lines (.jsonl), JSON (.json) or plain text; '-' reads JSON Lines from stdin")
    feed.add_argument("--format", choices=["auto", "jsonl", "json", "text"], default="auto", help="override detection by file suffix")
    feed.add_argument("--rate", type=float, default=None, metavar="N", help="at most N messages per second")
    feed.add_argument("--repeat", type=int, default=1, metavar="K", help="send everything K times (ids get a ~k suffix after the first round)")
    feed.add_argument("--topic", default=None, help="target topic (default: NEWSEVENTS_TOPIC_RAW)")
    feed.set_defaults(handler=cmd_feed)

    tail = commands.add_parser("tail", help="print records of topics as they arrive, one JSON value per line")
    tail.add_argument("topics", nargs="+", metavar="TOPIC")
    tail.add_argument("--from-beginning", action="store_true", help="start at the oldest record, not at the end")
    tail.add_argument("--max", type=int, default=None, metavar="N", help="stop after N records")
    tail.add_argument("--timeout", type=float, default=None, metavar="S", help="stop when nothing arrived for S seconds")
    tail.add_argument("--headers", action="store_true", help="print topic, partition, offset and headers above each record")
    tail.add_argument("--read-committed", action="store_true", help="hide records of open or aborted transactions")
    tail.set_defaults(handler=cmd_tail)

    extract = commands.add_parser("extract", help="extract events offline from files (no Kafka), JSON Lines out")
    extract.add_argument("files", nargs="*", metavar="FILE", help="JSON Lines articles (stdin when none)")
    extract.add_argument("-o", "--output", default=None, metavar="OUT", help="write events here instead of stdout")
    extract.add_argument("--text", action="store_true", help="inputs are plain-text articles")
    extract.set_defaults(handler=cmd_extract)

    demo = commands.add_parser("demo", help="broker + topics + worker + example articles, printing events live")
    demo.add_argument("--once", action="store_true", help="exit when the fed articles are processed")
    demo.add_argument("--timeout", type=float, default=120.0, metavar="S", help="with --once: give up after S seconds")
    demo.set_defaults(handler=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = _settings_or_exit()
    return args.handler(args, settings)


if __name__ == "__main__":
    sys.exit(main())
