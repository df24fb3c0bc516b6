"""Operator commands: the `newsevents` command line and what its subcommands run (feed, extract, demo, evaluation)."""
