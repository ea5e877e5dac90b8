"""Qlib experiments: the template folders live next to these modules."""
