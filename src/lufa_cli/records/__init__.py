"""One file per record (inspections, notices, ...): reading them all, creating and rewriting them safely."""
