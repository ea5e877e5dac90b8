"""RD-Agent simulator package (RD-Agent Scheduler demo mode).

Laid out like microsoft/RD-Agent so that the scheduler's template overlay works the same way
against the simulator as against a real RD-Agent checkout. Python standard library only.
"""

__version__ = "0.0.0+simulator"
