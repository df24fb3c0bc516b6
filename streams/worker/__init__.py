"""The worker's production path: Faust app, agent, per-message processing, records, metrics and the web views."""
