"""Local broker and test harness: Kafka from Maven jars, worker subprocesses, feeding, reading, process sampling.

Shared by tests, bench/, scripts/reliability and the local commands (`newsevents broker`, `demo`); never imported
by the worker (tests/unit/test_layout.py checks it).
"""
