"""Wheel build hook: compile the coder's per-sentence path with mypyc.

The coder's modules are ordinary typed Python; mypyc (mypy's compiler, the one Black ships
with) turns them into C extensions, which code the same events about 1.8x faster on one core.
We use the hatch-mypyc plugin for the compilation and add three things to it:

- editable installs (`pip install -e .`) stay pure Python, so an edit takes effect at once;
- `EVCODE_PURE_PYTHON=1` builds a pure-Python wheel on purpose;
- without a C compiler the build falls back to pure Python with a warning, unless
  `EVCODE_REQUIRE_COMPILED=1` (CI sets it) makes that an error;

and it removes the compiled files it left in the source tree once the wheel is written, so a
checkout never imports a stale extension instead of the source beside it.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from hatch_mypyc.plugin import MypycBuildHook


class CoderBuildHook(MypycBuildHook):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable" or os.environ.get("EVCODE_PURE_PYTHON"):
            return
        try:
            super().initialize(version, build_data)
        except Exception as exc:
            self.clean([version])
            if os.environ.get("EVCODE_REQUIRE_COMPILED"):
                raise
            first = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            first = first if len(first) <= 160 else first[:157] + "..."
            print(f"evcode: could not compile the coder with mypyc ({first}); installing pure Python, "
                  "which codes the same events more slowly", file=sys.stderr)

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if version != "editable" and not build_data.get("pure_python", True):
            self.clean([version])


def get_build_hook() -> type[CoderBuildHook]:
    return CoderBuildHook
