"""How long what a command built lives, and how a province-scale run ends.

At province scale (35,000 record files) a command builds a few hundred thousand objects that
live to its end: the records, views of them, a report's rows. Two costs follow that do nothing
for the clerk:

* the cyclic garbage collector re-scans that heap on every collection: `keep_to_the_end`
  moves it out of the collector's way (`gc.freeze`; frozen objects are still freed by
  reference counting);
* when the command returns, every one of those objects is freed one at a time, and then the
  interpreter tears its modules down (~0.15–0.2 s at 10,000 units). `keep_to_the_end` also
  holds the objects it is given, and the console script (`lufa_cli.__main__`) ends such a
  run as Python's own exit would, minus the freeing: it runs the `atexit` handlers
  (`weakref.finalize`, logging), flushes stdout and stderr and leaves with `os._exit`; the
  operating system takes the memory back at once.

Small workspaces, and the test suite's many in-process runs, are left alone: below
`PROVINCE_SCALE` records nothing is frozen or held, and the process ends as usual.
"""

from __future__ import annotations

import gc

PROVINCE_SCALE = 5_000  # records (files) from which a run freezes what it built and skips the teardown

_kept: list[object] = []


def keep_to_the_end(records: int, *objects: object) -> None:
    """What the command has built so far lives as long as the command and holds no cycles worth
    collecting: at province scale (`records` ≥ `PROVINCE_SCALE`) it is frozen, `objects` are held
    until the process ends, and the process ends without freeing them (`lufa_cli.__main__`)."""
    if records >= PROVINCE_SCALE:
        gc.freeze()
        _kept.append(objects)


def holding() -> bool:
    """True once a province-scale run holds what it built (`keep_to_the_end`)."""
    return bool(_kept)
