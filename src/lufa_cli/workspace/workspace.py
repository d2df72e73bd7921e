"""The loaded workspace: the data files of one data folder, as models, with their sources."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lufa_cli.errors import RefusedError
from lufa_cli.model import data as models
from lufa_cli.reading.yamlsrc import Source


def bundled_root() -> Path:
    """Folder holding the bundled `data/` and `templates/`.

    In an installed wheel they are packaged under ``lufa_cli/bundled``; in a
    source checkout they are the repository's own folders.
    """
    package = Path(__file__).resolve().parent.parent
    packaged = package / "bundled"
    if (packaged / "data").is_dir():
        return packaged
    return package.parent.parent


@dataclass
class Workspace:
    """Everything loaded from one data folder."""

    root: Path
    origin: str
    roster: models.Roster
    schedule: models.Schedule
    checklist: models.Checklist
    settings: models.Settings
    calendar: models.CalendarOverrides
    sources: dict[str, Source] = field(default_factory=dict)
    year_schedules: dict[int, models.Schedule] = field(default_factory=dict)  # schedule-YYYY.yaml
    records_cache: Path | None = None  # cache file of validated records (records.cache); None: read every file

    def schedule_for(self, year: int) -> models.Schedule:
        """The plan of `year`: data/schedule-YYYY.yaml when there is one, else schedule.yaml."""
        return self.year_schedules.get(year, self.schedule)

    @property
    def writable(self) -> bool:
        return self.origin != "bundled"

    def require_writable(self) -> None:
        if not self.writable:
            raise RefusedError(
                "当前使用的是内置鲁山县数据（只读），不能写入记录。"
                "请先运行 lufa init 目录 建立自己的工作区，再在该目录下运行本命令或用 --data 指定"
            )

    @property
    def templates_dir(self) -> Path:
        own = self.root.parent / "templates"
        return own if own.is_dir() else bundled_root() / "templates"

    def template(self, name: str) -> Path:
        """A template from the workspace's templates/, else the bundled one (e.g. after an upgrade)."""
        own = self.root.parent / "templates" / name
        # anything there (a FIFO, a folder, a dangling link) is the clerk's and is read, or refused by name
        return own if os.path.lexists(own) else bundled_root() / "templates" / name

    def unit(self, unit_id: str) -> models.Unit | None:
        return self.units_by_id.get(unit_id)

    @property
    def units_by_id(self) -> dict[str, models.Unit]:
        cache = self.__dict__.get("_uid")
        if cache is None:
            cache = self.__dict__["_uid"] = {u.id: u for u in self.roster.units}
        return cache
