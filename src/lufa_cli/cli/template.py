"""lufa template: check edited document templates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from lufa_cli.cli.common import CTX, console, load, print_diagnostics, run_today, say
from lufa_cli.errors import TemplateError, UsageError
from lufa_cli.workspace.loader import display_path

template_app = typer.Typer(help="文书模板：检查修改过的模板。", no_args_is_help=True, **CTX)


def _context_for(name: str, contexts: dict[str, dict[str, Any] | None]) -> dict[str, Any] | None:
    stem = name.split(".")[0]
    for key in sorted(contexts, key=len, reverse=True):
        if stem == key or stem.startswith(key + "-") or (key == "notice" and stem.startswith("notice")):
            return contexts[key]
    return None


@template_app.command(
    "check",
    help="""检查文书模板：语法错误、模板用到但程序不提供的变量、越权访问。改过模板后、批量生成前运行。

不写名称时检查模板目录中的全部模板。有问题时退出码 4。

[bold]示例[/bold]

  lufa template check
  lufa template check notice-yijianshu.docx
  lufa template check templates/circular.docx
""",
)
def template_check(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(metavar="模板", help="模板文件名（如 plan-week.docx）或路径（如 templates/plan-week.docx）。")] = None,
) -> None:
    from lufa_cli.render.documents import lint_template

    ws = load(ctx)
    folder = ws.templates_dir
    if name is not None:
        given = Path(name)
        # a path the shell completed (templates/x.md.j2) is that file; a bare name is looked up
        path = given if len(given.parts) > 1 else ws.template(name)
        if not path.is_file():
            raise UsageError(f"模板“{name}”不存在（模板目录：{display_path(folder)}）")
        paths = [path]
    else:
        paths = sorted(p for p in folder.iterdir() if p.suffix in (".docx", ".j2") and not p.name.startswith(("~$", ".")))
    from lufa_cli.render.samples import template_contexts

    contexts = template_contexts(ws, run_today())
    problems = []
    for p in paths:
        ctx_ = _context_for(p.name, contexts)
        if ctx_ is None:
            say(f"{display_path(p)}：不知道这个模板用于哪种文书，跳过（文件名应以 plan-week、plan-year、notice、letter、circular、feedback、models、briefing、score-report 或 overdue 开头）", style="yellow")
            continue
        found = lint_template(Path(display_path(p)), ctx_)
        problems += found
        if not found:
            console().print(f"{display_path(p)}：无误", markup=False)
    if problems:
        print_diagnostics(problems)
        raise TemplateError(f"共 {len(problems)} 个模板问题，请修改模板后重新检查")
