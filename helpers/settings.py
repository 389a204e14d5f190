"""Course-wide settings that outlive one notebook: for now, lecture mode.

Lecture mode (lesson 00) makes figures and sliders readable from the back of a
lecture hall. The choice is saved in a small JSON file so that every lesson
opened afterwards, in any kernel, picks it up. The file lives in
``~/.config/three-good-students/settings.json``; the environment variable
``THREE_GOOD_STUDENTS_SETTINGS`` names another file (tests use this).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SETTINGS_ENV = "THREE_GOOD_STUDENTS_SETTINGS"


def settings_path() -> Path:
    """Where the settings file is (it need not exist yet)."""
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    return Path.home() / ".config" / "three-good-students" / "settings.json"


def _read() -> dict:
    try:
        return json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        # No file yet, or one a person edited into invalid JSON: fall back to defaults.
        return {}


def lecture_mode(on: bool | None = None) -> bool:
    """Report lecture mode, or switch it on or off (``on=True``/``False``) and remember it.

    Returns the setting now in force. This only stores the choice: figures pick it
    up through :func:`helpers.plots.use_course_style`, which every lesson calls at
    the top, and :func:`helpers.plots.switch_lecture_mode` switches and restyles at once.
    """
    if on is None:
        return bool(_read().get("lecture_mode", False))
    if not isinstance(on, bool):
        raise TypeError(f"on must be True, False or None, got {on!r}")
    settings = _read()
    settings["lecture_mode"] = on
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    return on
