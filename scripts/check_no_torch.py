"""Fail the set-up when anything pulled in torch (this project runs without it)."""

import importlib.util
import sys

if importlib.util.find_spec("torch") is not None:
    sys.exit("torch is installed in .venv but must not be: a requirement pulled it in.")
print("ok: no torch in the environment")
