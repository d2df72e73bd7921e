"""Files in and out: strict YAML with positions, text hygiene, atomic writes and safe names."""
