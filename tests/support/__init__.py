"""Helpers shared by the test folders: labelled-set loading and checks, extraction probes, agents, ops files, TLS."""
