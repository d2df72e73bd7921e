"""The command line: one module per command group; parse, call, print, exit."""

import os

# lufa uses no Pydantic plugins; without this, building the first model scans the
# entry points of every installed distribution for some (~10 ms of each start). An
# explicit PYDANTIC_DISABLE_PLUGINS in the environment is left as it is.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
