"""The `lufa` command and `python -m lufa_cli`.

`run` is the console-script entry point: it imports the CLI inside a guard, so a Ctrl-C pressed
while Python is still importing prints 已中止 (exit 130) instead of a traceback.

The cyclic garbage collector is off while the CLI starts: importing Typer, Pydantic and the
invoked command group and building their classes allocates a few hundred thousand objects and
no garbage worth collecting, and the collector's passes over that growing heap were about a
tenth of every start. Once the command is built, `cli.app` freezes what start-up made (it stays
alive to the end anyway) and turns the collector back on.

A province-scale run (`lufa_cli.reading.lifetime`) ends without freeing what it built, object by
object (`end_process`).
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
        from lufa_cli.cli.app import main, reader_gone
    except KeyboardInterrupt:
        sys.stderr.write("已中止。\n")
        sys.exit(130)
    try:
        main(resume_gc=True)
    except SystemExit as exc:
        if holding():
            end_process(exc.code)
        try:  # what Python's exit does first, here where a reader gone away can still be told apart
            sys.stdout.flush()
        except BrokenPipeError:
            reader_gone()
        raise


def end_process(code: object) -> NoReturn:
    """Leave as `sys.exit(code)` would at the end of the program, without tearing the heap down.

    The exit status follows Python's rules for `SystemExit.code` (None → 0, an int as given,
    anything else printed to stderr → 1). The `atexit` handlers run, then output still buffered
    is written; when the reader has gone away (`lufa check | head`) the status is 141, as for a
    broken pipe during the command (`cli.app.reader_gone`)."""
    import atexit

    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        sys.stderr.write(f"{code}\n")
        status = 1
    atexit._run_exitfuncs()  # what Py_FinalizeEx runs before it flushes (weakref.finalize, logging)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        status = int(ExitCode.PIPE)
    except OSError:
        status = status or 120  # as Python's own exit reports a stdout it could not flush
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(status)


if __name__ == "__main__":
    run()
