"""The worker's input buffering is bounded in messages, and large freed buffers go back to the operating system."""

from __future__ import annotations

import platform

import pytest

from streams.settings import Settings
from streams.worker.agents import BATCH_MAX_MESSAGES
from streams.worker.app import STREAM_BUFFER_MESSAGES, build_faust_app, return_large_buffers_to_the_os


def test_faust_queues_at_most_two_batches_ahead_of_the_agent(settings: Settings) -> None:
    app = build_faust_app(settings)
    assert app.conf.stream_buffer_maxsize == STREAM_BUFFER_MESSAGES == 2 * BATCH_MAX_MESSAGES


@pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="a glibc setting")
def test_the_mmap_threshold_is_pinned_on_glibc() -> None:
    assert return_large_buffers_to_the_os() is True
