"""Scenarios of the RD-Agent simulator."""
