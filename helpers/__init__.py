"""Helpers for *Neural networks from three good students* (三好学生).

Each module holds code that a lesson first builds in front of the learner and
later lessons reuse:

- :mod:`helpers.data`     the generated students and their scores (lesson 01)
- :mod:`helpers.nn`       activations, softmax and losses (lessons 01-04)
- :mod:`helpers.grad`     numerical gradients for checking (lessons 01, 05)
- :mod:`helpers.optim`    gradient descent and its relatives (lessons 01, 07)
- :mod:`helpers.fit`      fitting a cos + exp formula from many starts (lesson 09)
- :mod:`helpers.plots`    the course's look and its recurring figures
- :mod:`helpers.widgets`  sliders wired to figures
- :mod:`helpers.check`    the checks behind every "Try it" exercise
- :mod:`helpers.settings` lecture mode, remembered across lessons (lesson 00)
- :mod:`helpers.environment` the environment check of lesson 00
- :mod:`helpers.course`   the lesson list that lesson 00 shows

``import helpers`` imports nothing else; import the module a lesson needs.
"""

__version__ = "0.1.0"
