"""Test-wide set-up, shared by the unit tests, the doctests and the notebook runs."""

import os
import runpy
import tempfile
from pathlib import Path

import matplotlib

# Tests draw without a screen. Notebook kernels started by nbval use their own inline backend.
matplotlib.use("Agg")

_PRIVATE = Path(tempfile.mkdtemp(prefix="three-good-students-"))

# A learner's own lecture-mode choice must not change what the tests see, and the
# tests must not write into the learner's home folder: point the settings at a
# private file. Kernels started by nbval inherit this environment variable.
os.environ["THREE_GOOD_STUDENTS_SETTINGS"] = str(_PRIVATE / "settings.json")

# The course must run offline: every connection to another machine fails, in this
# process and in every notebook kernel the tests start (they inherit IPYTHONDIR, a
# private IPython folder whose startup file blocks the network the same way).
# Connections within this machine (the kernels' own channels) stay allowed.
_GUARD = Path(__file__).resolve().parent / "tests" / "network_guard.py"
runpy.run_path(str(_GUARD))["block_network"]()
_STARTUP = _PRIVATE / "ipython" / "profile_default" / "startup"
_STARTUP.mkdir(parents=True)
(_STARTUP / "00-block-network.py").write_text(
    "def _block_network_for_the_course_tests():\n"
    "    import runpy\n"
    f"    runpy.run_path({str(_GUARD)!r})['block_network']()\n"
    "_block_network_for_the_course_tests()\n"
    "del _block_network_for_the_course_tests\n",
    encoding="utf-8",
)
os.environ["IPYTHONDIR"] = str(_PRIVATE / "ipython")
