"""Records the tool writes under ``data/records/``: inspections, self-inspections,
spot-check samples. One YAML file per record, readable and merge-friendly.

Layout::

    data/records/inspections/2026/2026-04-12-sifaju.yaml   # one per inspection
    data/records/selfchecks/2026/sifaju.yaml               # one per unit and year
    data/records/spotchecks/2026.yaml                      # the year's sample

File names carry the record's identity, so two clerks recording the same
thing produce a git add/add conflict instead of a silent duplicate.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from lufa_cli.reading.yamlsrc import Source, read_yaml


def records_dir(data_root: Path) -> Path:
    return data_root / "records"


def inspection_path(data_root: Path, inspection_id: str) -> Path:
    return records_dir(data_root) / "inspections" / inspection_id[:4] / f"{inspection_id}.yaml"


def selfcheck_path(data_root: Path, year: int, unit_id: str) -> Path:
    return records_dir(data_root) / "selfchecks" / str(year) / f"{unit_id}.yaml"


def spotcheck_path(data_root: Path, year: int) -> Path:
    return records_dir(data_root) / "spotchecks" / f"{year}.yaml"


def record_files(data_root: Path, kind: str) -> list[Path]:
    folder = records_dir(data_root) / kind
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*.yaml") if not p.name.startswith("."))


def read_record(path: Path, model: type[BaseModel], display: str) -> tuple[BaseModel | None, Source]:
    """Read and validate one record file; problems are in the returned Source."""
    from lufa_cli.workspace.loader import validate

    src = read_yaml(path, display=display)
    rec = validate(model, src) if src.ok else None
    return rec, src
