"""The course's look, and the figures that come back lesson after lesson.

Every function takes an optional ``ax=`` (it draws on a new figure otherwise)
and returns the matplotlib Axes it drew on, so a lesson can add to it.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.colors import LogNorm
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import LogFormatter, MaxNLocator

from ._validate import class_indices, finite_array, positive_int
from .settings import lecture_mode

# Okabe and Ito's palette, readable with every common form of colour blindness.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
"""Colour cycle shared by all lessons; the first is "the learner's model"."""

CLASS_COLORS = ("#0072B2", "#E69F00", "#009E73")
"""One colour per class index in every lesson (lesson 03: 0 three good, 1 two excellent, 2 ordinary). Markers tell them apart too."""

CLASS_MARKERS = ("o", "s", "^")
"""The second cue for classes, so a figure reads in grey scale as well."""

MISTAKE_MARKER = "x"
"""Drawn over a point that the model gets wrong (lessons 02, 03 and on)."""

SPLIT_STYLES = {
    "train": {"color": "#0072B2", "linestyle": "-"},
    "validation": {"color": "#D55E00", "linestyle": "--"},
    "test": {"color": "#000000", "linestyle": ":"},
}
"""Train, validation and test curves look the same in every lesson (lessons 02, 08, 10)."""

OPTIMIZER_STYLES = {
    "SGD": {"color": "#000000", "linestyle": "-", "marker": "o"},
    "Momentum": {"color": "#0072B2", "linestyle": "--", "marker": "s"},
    "Nesterov": {"color": "#56B4E9", "linestyle": "-.", "marker": "v"},
    "AdaGrad": {"color": "#009E73", "linestyle": ":", "marker": "^"},
    "RMSProp": {"color": "#CC79A7", "linestyle": "-.", "marker": "D"},
    "Adam": {"color": "#D55E00", "linestyle": "-", "marker": "P"},
    "AdamW": {"color": "#E69F00", "linestyle": "--", "marker": "X"},
}
"""One look per optimizer across the course (lesson 07 on): colour, line style and marker."""


_UNKNOWN_OPTIMIZER = {"color": "#999999", "linestyle": "-", "marker": "."}


def optimizer_style(name: str) -> dict:
    """The colour, line style and marker of the optimizer called ``name`` (its first word counts).

    Introduced in lesson 07. A label such as ``"SGD, lr 0.95"`` or ``"Adam (lr 0.3)"`` gets
    its optimizer's look; any other name a neutral grey.

    >>> optimizer_style("Adam (lr 0.3)")["color"]
    '#D55E00'
    >>> optimizer_style("SGD, lr 0.95")["marker"]
    'o'
    >>> optimizer_style("my own")["color"]
    '#999999'
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be an optimizer's name (a string), got {type(name).__name__} {name!r}")
    return dict(OPTIMIZER_STYLES.get(_optimizer_name(name) or "", _UNKNOWN_OPTIMIZER))


def _optimizer_name(label: str) -> str | None:
    """The optimizer a label starts with ("SGD, lr 0.95" -> "SGD"), or None."""
    first = re.split(r"[\s,:;(]", str(label).strip(), maxsplit=1)[0]
    return first if first in OPTIMIZER_STYLES else None

_BASE_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 90,
    "savefig.dpi": 90,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titleweight": "bold",
    "axes.prop_cycle": mpl.cycler(color=COLORS),  # type: ignore[attr-defined]  # re-exported, not in the stubs
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
    mpl.rcParams.update(_BASE_STYLE)  # type: ignore[arg-type]  # the stubs want literal keys
    if lecture_mode():
        mpl.rcParams.update(_LECTURE_STYLE)  # type: ignore[arg-type]


def switch_lecture_mode(on: bool) -> bool:
    """Switch lecture mode on or off, remember it for every lesson, and restyle figures drawn from now on.

    Lesson 00 wires its lecture-mode button to this; other lessons pick the choice
    up when they call :func:`use_course_style`.
    """
    lecture_mode(on)
    use_course_style()
    return on


def _axes(ax: plt.Axes | None) -> plt.Axes:
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _grid(x_range: tuple[float, float], y_range: tuple[float, float],
          resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The checked ranges and the ``resolution × resolution`` evaluation grid every surface plot draws on."""
    resolution = positive_int(resolution, "resolution")
    x_range = finite_array(x_range, "x_range", shape=(2,))
    y_range = finite_array(y_range, "y_range", shape=(2,))
    grid_x, grid_y = np.meshgrid(np.linspace(x_range[0], x_range[1], resolution),
                                 np.linspace(y_range[0], y_range[1], resolution))
    return x_range, y_range, grid_x, grid_y


def _losses_on(loss_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
               grid_x: np.ndarray, grid_y: np.ndarray) -> np.ndarray:
    """``loss_fn`` evaluated on the grid, checked: one finite value per grid point."""
    losses = np.asarray(loss_fn(grid_x, grid_y), dtype=float)
    if losses.shape != grid_x.shape:
        raise ValueError(f"loss_fn must return an array of shape {grid_x.shape} for grids of that shape, "
                         f"got {losses.shape}")
    if not np.all(np.isfinite(losses)):
        raise ValueError("loss_fn returned NaN or infinite values on the grid; narrow x_range/y_range")
    return losses


def loss_surface(loss_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
                 x_range: tuple[float, float], y_range: tuple[float, float], *,
                 paths: Mapping[str, np.ndarray] | None = None,
                 minimum: Sequence[float] | None = None,
                 labels: tuple[str, str] = ("w1", "w2"),
                 title: str = "Loss surface",
                 resolution: int = 121, colorbar: bool = False,
                 ax: plt.Axes | None = None) -> plt.Axes:
    """Contour plot of a loss over two parameters, with descent paths drawn on it.

    Introduced in lesson 01. ``loss_fn(X, Y)`` receives two grids of the same
    shape and returns the loss at every grid point. ``paths`` maps a legend label
    to an array of shape ``(steps + 1, 2)``; a label that starts with an
    optimizer's name ("SGD, lr 0.95") gets that optimizer's look
    (:func:`optimizer_style`), other paths the colours of :data:`COLORS`. Contour
    levels are spaced logarithmically, because a loss varies over orders of
    magnitude; ``colorbar=True`` adds a colour bar that reads the levels off
    (lesson 06).

    >>> ax = loss_surface(lambda x, y: x**2 + 3 * y**2, (-2, 2), (-1, 1),
    ...                   paths={"descent": np.array([[2.0, 1.0], [1.0, 0.2], [0.0, 0.0]])})
    >>> len(ax.lines), ax.get_xlabel()
    (1, 'w1')
    >>> plt.close(ax.figure)
    >>> ax = loss_surface(lambda x, y: x**2 + 3 * y**2, (-2, 2), (-1, 1), colorbar=True)
    >>> len(ax.figure.axes), ax.figure.axes[1].get_ylabel()
    (2, 'loss (log scale)')
    >>> plt.close(ax.figure)
    """
    if not isinstance(colorbar, bool):
        raise TypeError(f"colorbar must be True or False, got {colorbar!r}")
    x_range, y_range, grid_x, grid_y = _grid(x_range, y_range, resolution)
    losses = _losses_on(loss_fn, grid_x, grid_y)
    if losses.max() <= 0:
        raise ValueError("loss_fn is zero (or negative) everywhere on the grid, so there is no surface to draw "
                         "with logarithmic contours; check loss_fn, or widen x_range/y_range")
    ax = _axes(ax)
    positive = losses[losses > 0]
    low = positive.min() if positive.size else 1e-12
    levels = np.geomspace(max(low, losses.max() * 1e-6), losses.max(), 25)
    filled = ax.contourf(grid_x, grid_y, np.clip(losses, levels[0], None), levels=levels, norm=LogNorm(),
                         alpha=0.85)
    ax.contour(grid_x, grid_y, losses, levels=levels[::3], colors="white", linewidths=0.5, alpha=0.6)
    if colorbar:
        ax.figure.colorbar(filled, ax=ax, label="loss (log scale)", ticks=levels[::6], format="%.2g")
    for color, (label, path) in zip(COLORS[1:] * 3, (paths or {}).items()):
        path = finite_array(path, f"paths[{label!r}]", shape=(None, 2))
        style = optimizer_style(label) if _optimizer_name(label) else {"color": color, "marker": "o"}
        ax.plot(path[:, 0], path[:, 1], markersize=3, label=label, **style)
    if minimum is not None:
        _plot_minimum(ax, minimum)
    ax.set(xlim=x_range, ylim=y_range, xlabel=labels[0], ylabel=labels[1], title=title)
    if paths or minimum is not None:
        ax.legend(loc="upper right")
    return ax


def _plot_minimum(ax: plt.Axes, minimum: Sequence[float] | np.ndarray) -> None:
    """The white star that marks a surface's minimum (loss_surface, optimizer_paths)."""
    ax.plot(*minimum, marker="*", color="white", markeredgecolor="black", markersize=14,
            linestyle="none", label="minimum")


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
    visited, as :func:`helpers.optim.optimizer_path` returns them (or the
    ``path`` of its :class:`~helpers.optim.Diverged` error); the surface is drawn
    by :func:`loss_surface`, each optimizer in its :func:`optimizer_style`. A
    path that runs off the plot gets a large cross, in its colour, where it
    left (:func:`leaving_point`), so a diverged run is never hidden. The i-th
    path is ``ax.lines[i]`` and its cross ``ax.lines[len(paths) + i]`` (empty
    while the path stays inside), with or without ``minimum``; the minimum's star
    and then the start come last. So a widget can move paths and crosses with
    ``set_data`` instead of drawing a new figure.

    >>> ax = optimizer_paths(lambda x, y: x**2 / 20 + y**2,
    ...                      {"SGD": np.array([[-7.0, 2.0], [-6.3, -1.8], [-5.0, 40.0]]),
    ...                       "Adam": np.array([[-7.0, 2.0], [-6.7, 1.7]])}, (-10, 10), (-5, 5))
    >>> [line.get_label() for line in ax.lines]
    ['SGD', 'Adam', '_SGD left the plot', '_Adam left the plot', 'start']
    >>> ax.lines[2].get_xydata().round(2).tolist(), len(ax.lines[3].get_xdata())
    ([[-6.09, 5.0]], 0)
    >>> plt.close(ax.figure)
    """
    if not paths:
        raise ValueError("paths must map at least one optimizer's name to its path")
    if minimum is not None:
        minimum = finite_array(minimum, "minimum", shape=(2,))
    ax = loss_surface(loss_fn, x_range, y_range, paths=paths, labels=labels,
                      title=title, resolution=resolution, ax=ax)  # the minimum after the crosses (see above)
    start = finite_array(next(iter(paths.values())), "paths", shape=(None, 2))[0]
    for label, path in paths.items():
        where = leaving_point(path, x_range, y_range)
        ax.plot(*([[where[0]], [where[1]]] if where is not None else [[], []]), linestyle="none", marker="X",
                markersize=12, markeredgecolor="white", color=optimizer_style(label)["color"],
                label=f"_{label} left the plot", clip_on=False, zorder=5)
    if minimum is not None:
        _plot_minimum(ax, minimum)
    ax.plot(*start, marker="s", color="black", markersize=7, linestyle="none", label="start")
    ax.legend(loc="upper right")
    return ax


def leaving_point(path: np.ndarray, x_range: tuple[float, float],
                  y_range: tuple[float, float]) -> np.ndarray | None:
    """Where ``path`` first leaves the box ``x_range`` × ``y_range``, on its edge, or None (lesson 07).

    The point is on the segment from the last point inside to the first one
    outside, so a cross drawn there sits where the line leaves the plot.

    >>> leaving_point(np.array([[0.0, 0.0], [1.0, 0.0], [3.0, 2.0]]), (-2, 2), (-2, 2)).tolist()
    [2.0, 1.0]
    >>> leaving_point(np.array([[0.0, 0.0], [1.0, 1.0]]), (-2, 2), (-2, 2)) is None
    True
    """
    path = finite_array(path, "path", shape=(None, 2))
    x_range = finite_array(x_range, "x_range", shape=(2,))
    y_range = finite_array(y_range, "y_range", shape=(2,))
    low = np.array([x_range[0], y_range[0]])
    high = np.array([x_range[1], y_range[1]])
    outside = np.flatnonzero(np.any((path < low) | (path > high), axis=1))
    if outside.size == 0:
        return None
    if outside[0] == 0:
        return np.clip(path[0], low, high)
    inside, beyond = path[outside[0] - 1], path[outside[0]]
    step = beyond - inside
    with np.errstate(divide="ignore", invalid="ignore"):
        fractions = np.where(step > 0, (high - inside) / step, np.where(step < 0, (low - inside) / step, np.inf))
    return inside + min(1.0, fractions.min()) * step


def decision_boundary(predict_fn: Callable[[np.ndarray], np.ndarray],
                      x_range: tuple[float, float], y_range: tuple[float, float], *,
                      points: np.ndarray | None = None, labels: np.ndarray | None = None,
                      mistakes: np.ndarray | None = None,
                      class_names: Sequence[str] | None = None, colors: Sequence[str] | None = None,
                      markers: Sequence[str] | None = None,
                      axis_labels: tuple[str, str] = ("moral", "academic"),
                      title: str = "Decision regions",
                      resolution: int = 400, ax: plt.Axes | None = None) -> plt.Axes:
    """Colour the plane by the class a model predicts there, with black lines where the class changes.

    Introduced in lesson 02 (two classes) and used again in lesson 03 (three).
    ``predict_fn`` receives an ``(m, 2)`` array of points and returns ``m`` class
    indices ``0, 1, ...``. ``points`` ``(n, 2)`` and their true ``labels`` ``(n,)``
    are drawn on top, class ``c`` in ``colors[c]`` with marker ``markers[c]``
    (:data:`CLASS_COLORS` and :data:`CLASS_MARKERS` by default, so the classes
    differ in shape as well as colour) and named ``class_names[c]`` in the legend.

    The picture is only as honest as its two axes. A point in a region of another
    colour is a mistake only when the two axes are everything that both the rule
    and ``predict_fn`` depend on (lesson 02 draws the school's total against the
    model's own total, lesson 03 the total against the average of academic and
    sports). On a slice of a higher-dimensional input, such as two scores with
    the third held at one value, correctly classified points can sit in another
    colour and mistakes can look right. Either way, pass ``mistakes``, ``n``
    booleans computed from the model's own predictions on the full inputs, to
    mark the real mistakes with :data:`MISTAKE_MARKER`.

    >>> ax = decision_boundary(lambda p: (p[:, 0] > p[:, 1]).astype(int), (0, 1), (0, 1),
    ...                        points=np.array([[0.2, 0.8], [0.9, 0.1]]), labels=np.array([0, 1]),
    ...                        class_names=("above the diagonal", "below"))
    >>> len(ax.collections), [text.get_text() for text in ax.get_legend().get_texts()]
    (4, ['above the diagonal', 'below'])
    >>> plt.close(ax.figure)
    """
    x_range, y_range, grid_x, grid_y = _grid(x_range, y_range, resolution)
    palette = tuple(colors) if colors is not None else CLASS_COLORS
    shapes = tuple(markers) if markers is not None else CLASS_MARKERS
    allowed = len(class_names) if class_names is not None else min(len(palette), len(shapes))
    if allowed > len(palette):
        raise ValueError(f"colors must have a colour for each of the {allowed} classes, got {len(palette)}")
    if allowed > len(shapes):
        raise ValueError(f"markers must have a marker for each of the {allowed} classes, got {len(shapes)}")
    if (points is None) != (labels is None):
        raise ValueError("points and labels must be given together (or neither)")
    predicted = np.asarray(predict_fn(np.column_stack([grid_x.ravel(), grid_y.ravel()])))
    if predicted.shape != (grid_x.size,):
        raise ValueError(f"predict_fn must return one class index per point, shape ({grid_x.size},) for "
                         f"{grid_x.size} points, got {predicted.shape}")
    predicted = class_indices(predicted, allowed, "predict_fn's output")
    if points is not None:
        points = finite_array(points, "points", shape=(None, 2))
        labels = class_indices(labels, allowed, "labels")
        if len(labels) != len(points):
            raise ValueError(f"labels has {len(labels)} entries but points has {len(points)} rows")
    if mistakes is not None:
        if points is None:
            raise ValueError("mistakes needs points and labels to mark")
        mistakes = np.asarray(mistakes)
        if mistakes.dtype != bool or mistakes.shape != (len(points),):
            raise ValueError(f"mistakes must be {len(points)} booleans (one per point), "
                             f"got dtype {mistakes.dtype} and shape {mistakes.shape}")
    seen = np.concatenate([predicted, labels if labels is not None else []]).astype(int)
    k = len(class_names) if class_names is not None else max(2, int(seen.max()) + 1)
    names = tuple(class_names) if class_names is not None else tuple(f"class {c}" for c in range(k))

    ax = _axes(ax)
    regions = predicted.reshape(grid_x.shape)
    # Levels halfway between class indices make each filled band exactly one class.
    levels = np.arange(k + 1) - 0.5
    ax.contourf(grid_x, grid_y, regions, levels=levels, colors=palette[:k], alpha=0.3)
    if np.unique(regions).size > 1:
        ax.contour(grid_x, grid_y, regions, levels=levels[1:-1], colors="black", linewidths=1.2)
    if points is not None:
        for c in range(k):
            members = labels == c
            if members.any():
                ax.scatter(points[members, 0], points[members, 1], s=16, color=palette[c], marker=shapes[c],
                           edgecolors="white", linewidths=0.4)
    handles: list[Artist | tuple[Artist, ...]] = []
    for c in range(k):
        patch = Patch(color=palette[c], alpha=0.6)
        if points is None:
            handles.append(patch)
        else:  # the region's colour with the class's marker on it
            handles.append((patch, Line2D([], [], marker=shapes[c], color=palette[c], markeredgecolor="white",
                                          linestyle="none")))
    labels_shown = list(names[:k])
    if mistakes is not None and points is not None:
        ax.scatter(points[mistakes, 0], points[mistakes, 1], s=40, marker=MISTAKE_MARKER, color="black",
                   linewidths=1.5, zorder=3)
        handles.append(Line2D([], [], marker=MISTAKE_MARKER, color="black", linestyle="none"))
        labels_shown.append(f"mistake ({int(mistakes.sum())})")
    ax.legend(handles, labels_shown, loc="best")
    ax.set(xlim=x_range, ylim=y_range, xlabel=axis_labels[0], ylabel=axis_labels[1], title=title)
    return ax


def loss_surface_3d(loss_fn: Callable[[np.ndarray, np.ndarray], np.ndarray],
                    x_range: tuple[float, float], y_range: tuple[float, float], *,
                    labels: tuple[str, str] = ("w1", "w2"), zlabel: str = "loss",
                    title: str = "Loss surface", resolution: int = 61,
                    ax: plt.Axes | None = None) -> plt.Axes:
    """The loss over two parameters as a 3-D surface: the companion of :func:`loss_surface` (lesson 06).

    A contour plot shows where the valleys are; a surface shows how *flat* the
    plateaus are, which is what stalls gradient descent. ``loss_fn(X, Y)``
    receives two grids and returns the loss at every point. ``ax`` must be a 3-D
    Axes (``fig.add_subplot(projection="3d")``); a new one is made otherwise.

    >>> ax = loss_surface_3d(lambda x, y: x**2 + y**2, (-1, 1), (-2, 2), resolution=11)
    >>> ax.name, len(ax.collections), ax.get_zlabel()
    ('3d', 1, 'loss')
    >>> plt.close(ax.figure)
    """
    x_range, y_range, grid_x, grid_y = _grid(x_range, y_range, resolution)
    if ax is None:
        ax = plt.figure().add_subplot(projection="3d")
    elif getattr(ax, "name", None) != "3d":
        raise ValueError("ax must be a 3-D Axes, made with add_subplot(projection='3d'), "
                         f"got a {getattr(ax, 'name', type(ax).__name__)!r} Axes")
    losses = _losses_on(loss_fn, grid_x, grid_y)
    ax.plot_surface(grid_x, grid_y, losses, cmap=mpl.rcParams["image.cmap"], linewidth=0, antialiased=False)
    ax.set(xlim=x_range, ylim=y_range, xlabel=labels[0], ylabel=labels[1], zlabel=zlabel, title=title)
    return ax


def _norm_series(norms) -> list:
    """One network's norms (numbers) or several networks' (a list of arrays, or a 2-D array), as a list."""
    if isinstance(norms, np.ndarray):
        return [norms] if norms.ndim == 1 else list(norms)
    items = list(norms)
    if items and all(np.ndim(item) == 0 for item in items):
        return [items]
    return items


def gradient_norms_by_layer(norms, *, labels: Sequence[str] | None = None,
                            title: str = "Gradient norm in each layer",
                            ax: plt.Axes | None = None) -> plt.Axes:
    """Each layer's gradient norm against its place in the network, on a log scale (lesson 06).

    ``norms`` holds one network's norms, layer 1 (next to the input) first, or a
    list of such arrays, one line each; ``labels`` names the lines in a legend.
    A line that falls towards layer 1 is a **vanishing** gradient, one that rises
    is an **exploding** gradient. A norm of exactly 0 (no gradient reaches the
    layer) leaves a gap, as log scales must. ``ax.lines[i]`` is the i-th line,
    so a widget can move it with ``set_data``.

    >>> ax = gradient_norms_by_layer([[1e-6, 1e-3, 1.0], [0.5, 0.5, 0.5]], labels=["sigmoid", "ReLU"])
    >>> len(ax.lines), ax.get_yscale(), ax.lines[0].get_xdata().tolist()
    (2, 'log', [1, 2, 3])
    >>> ax.yaxis.get_major_formatter()(1e-6).replace("\N{MINUS SIGN}", "-")
    '1e-06'
    >>> plt.close(ax.figure)
    """
    series = _norm_series(norms)
    if not series:
        raise ValueError("norms must hold at least one network's gradient norms")
    if labels is not None and (isinstance(labels, str) or len(labels) != len(series)):
        raise ValueError(f"labels must name each of the {len(series)} line(s), got {labels!r}")
    checked = []
    for i, values in enumerate(series):
        values = finite_array(values, f"norms[{i}]", ndim=1)
        if values.size == 0 or np.any(values < 0):
            raise ValueError(f"norms[{i}] must hold one norm (>= 0) per layer, got {values}")
        checked.append(values)
    ax = _axes(ax)
    for i, values in enumerate(checked):
        ax.plot(np.arange(1, values.size + 1), values, "o-", label=None if labels is None else labels[i])
    ax.set_yscale("log")
    # Labels such as 1e-06, as the lessons print numbers: typeset powers of ten are parsed as maths
    # on every redraw, a large share of the time a slider move takes.
    ax.yaxis.set_major_formatter(LogFormatter())
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set(xlabel="layer (1 = next to the input)", ylabel="gradient norm ||dL/dW||", title=title)
    if labels is not None:
        ax.legend()
    return ax


def activation_histograms(activations: Sequence[np.ndarray], *, bins: int = 30,
                          value_range: tuple[float, float] | None = None,
                          titles: Sequence[str] | None = None,
                          axes: Sequence[plt.Axes] | None = None) -> np.ndarray:
    """One histogram per layer, side by side: how each layer's outputs are spread (lesson 06).

    ``activations`` lists one array per layer (any shape), layer 1 first. Each
    histogram shows the fraction of that layer's values in each bin, so its
    heights add up to 1. Values outside ``value_range`` (all values by default)
    are counted in the end bins: a layer that blows up shows as a spike at the
    edge instead of disappearing. ``axes`` gives one Axes per layer; by default
    a new figure has them in a row. Returns the Axes as an array; each one's
    ``patches[0]`` is its histogram, which a widget can change with ``set_data``.

    >>> axes = activation_histograms([np.array([0.1, 0.2, 0.9, 5.0]), np.zeros(3)], bins=2, value_range=(0, 1))
    >>> [ax.patches[0].get_data().values.tolist() for ax in axes]
    [[0.5, 0.5], [1.0, 0.0]]
    >>> plt.close(axes[0].figure)
    """
    if isinstance(activations, np.ndarray) or len(activations) == 0:
        raise ValueError("activations must be a list with one array per layer")
    layers = [finite_array(values, f"activations[{i}]").ravel() for i, values in enumerate(activations)]
    bins = positive_int(bins, "bins")
    if value_range is None:
        everything = np.concatenate(layers)
        low, high = (everything.min(), everything.max()) if everything.size else (0.0, 1.0)
        value_range = (low, high) if high > low else (low - 0.5, high + 0.5)
    low, high = finite_array(value_range, "value_range", shape=(2,))
    if not low < high:
        raise ValueError(f"value_range must be (low, high) with low < high, got {value_range}")
    if titles is not None and len(titles) != len(layers):
        raise ValueError(f"titles must have one entry per layer ({len(layers)}), got {len(titles)}")
    if axes is None:
        _, axes = plt.subplots(1, len(layers), figsize=(2.3 * len(layers), 2.8), sharey=True, squeeze=False)
    axes = np.asarray(axes, dtype=object).ravel()
    if axes.size != len(layers):
        raise ValueError(f"axes must hold one Axes per layer ({len(layers)}), got {axes.size}")
    for i, (ax, values) in enumerate(zip(axes, layers)):
        ax.stairs(*histogram_fractions(values, (low, high), bins), fill=True, alpha=0.8, color=COLORS[0])
        ax.xaxis.set_major_locator(MaxNLocator(nbins=3))  # narrow panels side by side: few labels, no overlap
        ax.set(xlim=(low, high), xlabel="activation", title=f"layer {i + 1}" if titles is None else titles[i])
    axes[0].set_ylabel("fraction of values")
    return axes


def histogram_fractions(values: np.ndarray, value_range: tuple[float, float],
                        bins: int = 30) -> tuple[np.ndarray, np.ndarray]:
    """The heights and edges of one panel of :func:`activation_histograms` (lesson 06).

    ``bins`` equal bins over ``value_range``; each height is the fraction of
    ``values`` in its bin, values outside the range counted in the end bins. A
    widget gives the result to a panel's ``patches[0].set_data`` to change the
    histogram in place instead of drawing a new one.

    >>> heights, edges = histogram_fractions(np.array([0.1, 0.2, 0.9, 5.0]), (0, 1), bins=2)
    >>> heights.tolist(), edges.tolist()
    ([0.5, 0.5], [0.0, 0.5, 1.0])
    """
    values = finite_array(values, "values").ravel()
    bins = positive_int(bins, "bins")
    low, high = finite_array(value_range, "value_range", shape=(2,))
    if not low < high:
        raise ValueError(f"value_range must be (low, high) with low < high, got {value_range}")
    edges = np.linspace(low, high, bins + 1)
    counts, _ = np.histogram(np.clip(values, low, high), bins=edges)
    return counts / max(values.size, 1), edges
