"""Qlib (quantitative finance) scenario of the RD-Agent simulator."""
