"""Loopback servers that speak real platforms' HTTP APIs, for tests and benchmarks."""
