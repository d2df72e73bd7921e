"""The loaded workspace: the data files of one data folder, as models, with their sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lufa_cli.errors import RefusedError, TemplateError
from lufa_cli.model import data as models
from lufa_cli.model.registers import RegisterSettings
from lufa_cli.model.reviews import CaseStandard
from lufa_cli.reading.fsio import display_path
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


#: what `lufa init` copies from the bundled set: folder → the pattern of its files
BUNDLED_FILES = {"data": "*.yaml", "templates": "*"}


def bundled_files(folder: str) -> list[Path]:
    """The files `lufa init` copies from the bundled `folder` ("data" or "templates"): regular, not hidden, by name."""
    return sorted(f for f in (bundled_root() / folder).glob(BUNDLED_FILES[folder]) if f.is_file() and not f.name.startswith("."))


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
    case_standard: CaseStandard | None = None  # data/case-standard.yaml (案卷评查), optional
    sources: dict[str, Source] = field(default_factory=dict)
    year_schedules: dict[int, models.Schedule] = field(default_factory=dict)  # schedule-YYYY.yaml
    records_cache: Path | None = None  # cache file of validated records (`records-….cache`, module workspace.cache); None: read every file
    registers: RegisterSettings = field(default_factory=RegisterSettings)  # registers.yaml (optional)

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
    def home(self) -> Path:
        """The workspace root (the folder holding data/, templates/ and output/)."""
        return self.root.parent

    @property
    def templates_dir(self) -> Path:
        return bundled_root() / "templates" if self.origin == "bundled" else self.home / "templates"

    @property
    def output_dir(self) -> Path:
        """Where documents go by default: the workspace's output/ (the current folder's on bundled data)."""
        return Path("output") if self.origin == "bundled" else self.home / "output"

    def template(self, name: str) -> Path:
        """A template of this workspace: a regular file in its templates/, or a TemplateError naming it.

        Never a silent bundled substitute: the clerk's edited templates are the ones that count.
        """
        path = self.templates_dir / name
        if path.is_file():
            return path
        shown = display_path(path)
        fix = "运行"  # lufa template add-missing copies what is absent, never replaces what is there
        if not self.templates_dir.is_dir():
            why = f"模板目录 {display_path(self.templates_dir)} 不存在"
        elif path.exists() or path.is_symlink():
            why, fix = f"模板 {shown} 不是普通文件", "请移走它，再运行"
        else:
            why = f"模板 {shown} 不存在"
        bundled = self.writable and name in {f.name for f in bundled_files("templates")}
        hint = f"；{fix} lufa template add-missing 补上内置模板" if bundled else ""
        raise TemplateError(f"{why}{hint}")

    def unit(self, unit_id: str) -> models.Unit | None:
        return self.units_by_id.get(unit_id)

    @property
    def units_by_id(self) -> dict[str, models.Unit]:
        cache = self.__dict__.get("_uid")
        if cache is None:
            cache = self.__dict__["_uid"] = {u.id: u for u in self.roster.units}
        return cache
