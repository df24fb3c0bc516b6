"""Splits by article: every passage of a record falls in the same split, chosen by a hash of the record id."""

from __future__ import annotations

import hashlib
from typing import Literal

Split = Literal["train", "dev", "test"]
# test is scored once per release and never tuned on; dev is where thresholds and rules are tuned.
TEST_SHARE = 0.20
DEV_SHARE = 0.15


def split_of(record_id: str) -> Split:
    bucket = int.from_bytes(hashlib.sha256(f"newsevents-split-v1:{record_id}".encode()).digest()[:8], "big") / 2**64
    if bucket < TEST_SHARE:
        return "test"
    if bucket < TEST_SHARE + DEV_SHARE:
        return "dev"
    return "train"
