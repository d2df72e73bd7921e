"""The second start-up floor: a one-command Typer app that imports pydantic and yaml.

What any Typer + Pydantic + PyYAML command line pays before doing its own work: Typer 0.29
builds Pydantic adapters for its parameters, so the bare `import typer, pydantic, yaml`
floor is unfair to a Typer app. bench_startup.py runs `python floor_app.py --date 2021-04-12`.
"""

from __future__ import annotations

import datetime as dt

import pydantic
import typer
import yaml


class Week(pydantic.BaseModel):
    date: dt.date
    units: list[str] = []


app = typer.Typer(add_completion=False)


@app.command()
def main(date: str = typer.Option(..., help="日期")) -> None:
    """打印一周。"""
    week = Week.model_validate({"date": date})
    typer.echo(yaml.safe_dump(week.model_dump(mode="json"), allow_unicode=True), nl=False)


if __name__ == "__main__":
    app()
