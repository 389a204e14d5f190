"""Test-wide set-up, shared by the unit tests, the doctests and the notebook runs."""

import os
import tempfile

import matplotlib

# Tests draw without a screen. Notebook kernels started by nbval use their own inline backend.
matplotlib.use("Agg")

# A learner's own lecture-mode choice must not change what the tests see, and the
# tests must not write into the learner's home folder: point the settings at a
# private file. Kernels started by nbval inherit this environment variable.
os.environ["THREE_GOOD_STUDENTS_SETTINGS"] = os.path.join(
    tempfile.mkdtemp(prefix="three-good-students-"), "settings.json"
)
