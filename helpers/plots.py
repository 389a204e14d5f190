"""The course's look, and the figures that come back lesson after lesson.

Every function takes an optional ``ax=`` (it draws on a new figure otherwise)
and returns the matplotlib Axes it drew on, so a lesson can add to it.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm

from ._validate import finite_array, positive_int
from .settings import lecture_mode

COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b")
"""Colour cycle shared by all lessons; the first is "the learner's model"."""

_BASE_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "axes.prop_cycle": mpl.cycler(color=COLORS),
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "lines.linewidth": 1.8,
    "lines.markersize": 5,
    "image.cmap": "viridis",
}

_LECTURE_STYLE = {
    "font.size": 15,
    "axes.titlesize": 16,
    "axes.labelsize": 15,
    "xtick.labelsize": 13,
    "ytick.labelsize": 13,
    "legend.fontsize": 13,
    "lines.linewidth": 3.0,
    "lines.markersize": 8,
}


def use_course_style() -> None:
    """Apply the course's plot style, with larger text and lines in lecture mode.

    Every lesson calls this once at the top (lesson 00 explains lecture mode).
    The figure size stays the same in both modes, so stored outputs do not change.
    """
    mpl.rcParams.update(_BASE_STYLE)
    if lecture_mode():
        mpl.rcParams.update(_LECTURE_STYLE)


def _axes(ax: plt.Axes | None) -> plt.Axes:
    if ax is None:
        _, ax = plt.subplots()
    return ax


def loss_surface(loss_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
                 x_range: tuple[float, float], y_range: tuple[float, float], *,
                 paths: Mapping[str, np.ndarray] | None = None,
                 minimum: Sequence[float] | None = None,
                 labels: tuple[str, str] = ("w1", "w2"),
                 title: str = "Loss surface",
                 resolution: int = 121, ax: plt.Axes | None = None) -> plt.Axes:
    """Contour plot of a loss over two parameters, with descent paths drawn on it.

    Introduced in lesson 01. ``loss_fn(X, Y)`` receives two grids of the same
    shape and returns the loss at every grid point. ``paths`` maps a legend label
    to an array of shape ``(steps + 1, 2)``. Contour levels are spaced
    logarithmically, because a loss varies over orders of magnitude.

    >>> ax = loss_surface(lambda x, y: x**2 + 3 * y**2, (-2, 2), (-1, 1),
    ...                   paths={"descent": np.array([[2.0, 1.0], [1.0, 0.2], [0.0, 0.0]])})
    >>> len(ax.lines), ax.get_xlabel()
    (1, 'w1')
    >>> plt.close(ax.figure)
    """
    resolution = positive_int(resolution, "resolution")
    x_range = finite_array(x_range, "x_range", shape=(2,))
    y_range = finite_array(y_range, "y_range", shape=(2,))
    ax = _axes(ax)
    grid_x, grid_y = np.meshgrid(np.linspace(*x_range, resolution), np.linspace(*y_range, resolution))
    losses = np.asarray(loss_fn(grid_x, grid_y), dtype=float)
    if losses.shape != grid_x.shape:
        raise ValueError(f"loss_fn must return an array of shape {grid_x.shape} for grids of that shape, "
                         f"got {losses.shape}")
    positive = losses[losses > 0]
    low = positive.min() if positive.size else 1e-12
    levels = np.geomspace(max(low, losses.max() * 1e-6), losses.max(), 25)
    ax.contourf(grid_x, grid_y, np.clip(losses, levels[0], None), levels=levels, norm=LogNorm(), alpha=0.85)
    ax.contour(grid_x, grid_y, losses, levels=levels[::3], colors="white", linewidths=0.5, alpha=0.6)
    for color, (label, path) in zip(COLORS[1:] * 3, (paths or {}).items()):
        path = finite_array(path, f"paths[{label!r}]", shape=(None, 2))
        ax.plot(path[:, 0], path[:, 1], "o-", color=color, markersize=3, label=label)
    if minimum is not None:
        ax.plot(*minimum, marker="*", color="white", markeredgecolor="black", markersize=14,
                linestyle="none", label="minimum")
    ax.set(xlim=x_range, ylim=y_range, xlabel=labels[0], ylabel=labels[1], title=title)
    if paths or minimum is not None:
        ax.legend(loc="upper right")
    return ax


def training_curves(curves: Mapping[str, Sequence[float]], *, log: bool = True,
                    xlabel: str = "step", ylabel: str = "loss",
                    title: str = "Training curves", ax: plt.Axes | None = None) -> plt.Axes:
    """One line per named curve (a loss per step, say), on a log scale by default.

    Introduced in lesson 01.

    >>> ax = training_curves({"lr = 0.1": [1.0, 0.5, 0.25], "lr = 0.01": [1.0, 0.9, 0.8]})
    >>> len(ax.lines), ax.get_yscale()
    (2, 'log')
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax)
    for label, values in curves.items():
        values = finite_array(values, f"curves[{label!r}]", ndim=1)
        ax.plot(np.arange(len(values)), values, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if curves:
        ax.legend()
    return ax


def optimizer_paths(loss_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
                    paths: Mapping[str, np.ndarray],
                    x_range: tuple[float, float], y_range: tuple[float, float], *,
                    minimum: Sequence[float] | None = None,
                    labels: tuple[str, str] = ("x", "y"),
                    title: str = "Optimizer paths",
                    resolution: int = 121, ax: plt.Axes | None = None) -> plt.Axes:
    """Several optimizers' paths on one contour plot of the loss, from a marked start (lesson 07).

    ``paths`` maps an optimizer's name to the ``(steps + 1, 2)`` points it
    visited, as :func:`helpers.optim.optimizer_path` returns them; the surface
    is drawn by :func:`loss_surface`. The i-th path is ``ax.lines[i]``, so a
    widget can move it with ``set_data`` instead of drawing a new figure.

    >>> ax = optimizer_paths(lambda x, y: x**2 / 20 + y**2,
    ...                      {"SGD": np.array([[-7.0, 2.0], [-6.3, -1.8]]),
    ...                       "Adam": np.array([[-7.0, 2.0], [-6.7, 1.7]])}, (-10, 10), (-5, 5))
    >>> [line.get_label() for line in ax.lines]
    ['SGD', 'Adam', 'start']
    >>> plt.close(ax.figure)
    """
    if not paths:
        raise ValueError("paths must map at least one optimizer's name to its path")
    ax = loss_surface(loss_fn, x_range, y_range, paths=paths, minimum=minimum, labels=labels,
                      title=title, resolution=resolution, ax=ax)
    start = finite_array(next(iter(paths.values())), "paths", shape=(None, 2))[0]
    ax.plot(*start, marker="s", color="black", markersize=7, linestyle="none", label="start")
    ax.legend(loc="upper right")
    return ax
