"""Kafka client plumbing shared by the worker and the commands: connection options, topics, reading, preflight."""
