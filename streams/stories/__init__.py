"""Stories and alerts: pure logic joining events of many articles into one story per happening (no Kafka here)."""
