"""The `lufa` command and `python -m lufa_cli`.

`run` is the console-script entry point: it imports the CLI inside a guard, so a Ctrl-C pressed
while Python is still importing prints 已中止 (exit 130) instead of a traceback.

The cyclic garbage collector is off while the CLI starts: importing Typer, Pydantic and the
invoked command group and building their classes allocates a few hundred thousand objects and
no garbage worth collecting, and the collector's passes over that growing heap were about a
tenth of every start. Once the command is built, `cli.app` freezes what start-up made (it stays
alive to the end anyway) and turns the collector back on.

Every run ends here: what is still buffered is written, and a reader gone away or a full disk
is told apart (`flushed`); a province-scale run (`lufa_cli.reading.lifetime`) ends without
freeing what it built, object by object (`end_process`).
"""

import gc
import os
import sys
from typing import NoReturn

from lufa_cli.errors import ExitCode
from lufa_cli.reading.lifetime import holding


def run() -> None:
    gc.disable()
    try:
        from lufa_cli.cli.app import main
    except KeyboardInterrupt:
        sys.stderr.write("已中止。\n")
        sys.exit(130)
    try:
        main(resume_gc=True)
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    status = exit_status(code)
    if holding():
        end_process(status)
    try:
        status = flushed(status)
    except KeyboardInterrupt:
        status = 130
    sys.exit(status)


def exit_status(code: object) -> int:
    """The status Python's exit gives for `SystemExit(code)`: None → 0, an int as given, anything
    else printed to stderr → 1."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    if sys.stderr is not None:
        sys.stderr.write(f"{code}\n")
    return 1


def flushed(status: int) -> int:
    """Write what stdout and stderr still buffer, as Python's exit does (a stream that is None —
    closed, or pythonw on Windows — is skipped, as Python skips it), and the status to exit with:
    141 when the reader has gone away (`lufa check | head`, as a broken pipe during the command,
    `cli.app.reader_gone`), 6 with a Chinese message when the output could not be written (a full
    disk; Python itself would print an English "Exception ignored" and exit 120). A stream that
    failed is pointed at the null device, so that Python's own last flush has nothing to say."""
    from lufa_cli.cli.app import point_at_devnull
    from lufa_cli.cli.common import reader_went_away

    out, err = sys.stdout, sys.stderr
    try:
        if out is not None:
            out.flush()
    except OSError as exc:
        point_at_devnull(out)
        if reader_went_away(exc):
            status = int(ExitCode.PIPE)
        else:
            from lufa_cli.reading.fsio import os_reason

            if err is not None:
                err.write(f"错误：输出未能全部写出：{os_reason(exc)}\n")
            status = int(ExitCode.EXTERNAL)
    try:
        if err is not None:
            err.flush()
    except OSError:
        point_at_devnull(err)
    return status


def end_process(status: int) -> NoReturn:
    """Leave as Python's exit would with `status`, without tearing the heap down: the `atexit`
    handlers run (what Py_FinalizeEx runs before it flushes: weakref.finalize, logging), then
    stdout and stderr are flushed (`flushed`), then `os._exit`."""
    import atexit

    try:
        atexit._run_exitfuncs()
        status = flushed(status)
    except KeyboardInterrupt:
        status = 130
    os._exit(status)


if __name__ == "__main__":
    run()
