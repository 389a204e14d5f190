"""Maintainer commands, run from a checkout: ``python -m tools.course`` and ``python -m tools.student``.

Not part of the installed ``helpers`` package: they edit the files of the checkout.
"""
