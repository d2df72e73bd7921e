"""lufa-cli: supervision and assessment of lawful administration (依法行政监督考核)."""

__version__ = "0.1.0"
