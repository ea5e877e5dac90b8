"""Command-line application of the RD-Agent simulator."""
