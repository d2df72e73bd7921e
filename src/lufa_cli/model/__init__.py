"""Pydantic models of the data files and of the records the tool writes (no I/O)."""
