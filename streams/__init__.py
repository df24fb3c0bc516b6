"""newsevents: real-time news event extraction on Kafka with Faust."""

__version__ = "0.1.0"
