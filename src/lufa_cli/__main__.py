"""The `lufa` command and `python -m lufa_cli`.

`run` is the console-script entry point: it imports the CLI inside a guard, so a Ctrl-C pressed
while Python is still importing prints 已中止 (exit 130) instead of a traceback.

The cyclic garbage collector is off while the CLI starts: importing Typer, Pydantic and the
invoked command group and building their classes allocates a few hundred thousand objects and
no garbage worth collecting, and the collector's passes over that growing heap were about a
tenth of every start. Once the command is built, `cli.app` freezes what start-up made (it stays
alive to the end anyway) and turns the collector back on.
"""

import gc
import sys


def run() -> None:
    gc.disable()
    try:
        from lufa_cli.cli.app import main
    except KeyboardInterrupt:
        sys.stderr.write("已中止。\n")
        sys.exit(130)
    main(resume_gc=True)


if __name__ == "__main__":
    run()
