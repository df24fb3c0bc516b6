"""The client's limit: a plain aiokafka consume -> produce loop, no Faust, no decoding, the pipeline's record sizes.

Run as its own process (like the worker): it consumes `--count` input messages and, per input, produces one copy
of a sample outcome record and, on average `--events-per-article` times, a copy of a sample event record (both
taken from the pipeline's own output, headers included), awaiting delivery per fetched batch before committing
the batch's offsets: the same at-least-once contract as the worker, with the batching a hand-written loop can do.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import sys
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

MAX_REQUEST_BYTES = 2 * 1024 * 1024
FETCH_MAX_RECORDS = 1000


def _record(spec: dict[str, Any]) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    key = base64.b64decode(spec["key"]) if spec.get("key") else b""
    headers = [(name, base64.b64decode(value)) for name, value in spec.get("headers", [])]
    return key, base64.b64decode(spec["value"]), headers


def write_sample(path: Path, *, outcome: Any, event: Any | None) -> None:
    """Store the pipeline's sample records (streams.harness.reading.OutputRecord) for the raw loop to copy."""

    def spec(record: Any) -> dict[str, Any]:
        return {
            "key": base64.b64encode(record.key or b"").decode(),
            "value": base64.b64encode(record.value).decode(),
            "headers": [(name, base64.b64encode(value).decode()) for name, value in record.headers],
        }

    path.write_bytes(orjson.dumps({"outcome": spec(outcome), "event": spec(event) if event else None}))


async def relay(args: argparse.Namespace) -> int:
    sample = orjson.loads(Path(args.sample).read_bytes())
    outcome_key, outcome_value, outcome_headers = _record(sample["outcome"])
    event = _record(sample["event"]) if sample["event"] else None
    consumer = AIOKafkaConsumer(
        args.input,
        bootstrap_servers=args.bootstrap,
        group_id=args.group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_partition_fetch_bytes=MAX_REQUEST_BYTES,
    )
    producer = AIOKafkaProducer(bootstrap_servers=args.bootstrap, acks="all", max_request_size=MAX_REQUEST_BYTES)
    await producer.start()
    await consumer.start()
    consumed = 0
    events_owed = 0.0
    try:
        while consumed < args.count:
            batches = await consumer.getmany(timeout_ms=1000, max_records=FETCH_MAX_RECORDS)
            deliveries = []
            for messages in batches.values():
                for message in messages:
                    events_owed += args.events_per_article
                    while event is not None and events_owed >= 1.0:
                        events_owed -= 1.0
                        deliveries.append(
                            await producer.send(args.events_topic, event[1], key=event[0], headers=event[2])
                        )
                    # Keyed by the input key like the outcome (article id); value and headers as the pipeline's.
                    deliveries.append(
                        await producer.send(
                            args.output, outcome_value, key=message.key or outcome_key, headers=outcome_headers
                        )
                    )
                    consumed += 1
            if deliveries:
                await asyncio.gather(*deliveries)
                await consumer.commit()
    finally:
        await consumer.stop()
        await producer.stop()
    return consumed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--input", required=True, help="input topic (the preloaded articles)")
    parser.add_argument("--group", required=True, help="consumer group (its own, so it reads from the beginning)")
    parser.add_argument("--output", required=True, help="topic for the outcome-sized records")
    parser.add_argument("--events-topic", required=True, help="topic for the event-sized records")
    parser.add_argument("--events-per-article", type=float, default=0.0)
    parser.add_argument("--sample", required=True, help="JSON file with the sample outcome and event records")
    parser.add_argument("--count", type=int, required=True, help="stop after this many input messages")
    args = parser.parse_args(argv)
    consumed = asyncio.run(relay(args))
    print(orjson.dumps({"consumed": consumed}).decode())
    sys.exit(0)


if __name__ == "__main__":
    main()
