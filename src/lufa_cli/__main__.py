"""The `lufa` command and `python -m lufa_cli`.

`run` is the console-script entry point: it imports the CLI inside a guard, so a Ctrl-C pressed
while Python is still importing prints 已中止 (exit 130) instead of a traceback.
"""

import sys


def run() -> None:
    try:
        from lufa_cli.cli.app import main
    except KeyboardInterrupt:
        sys.stderr.write("已中止。\n")
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
