"""Every public helpers function, called wrongly: a clear exception naming the argument, never a wrong number.

Each row is one bad call (a wrong type, a wrong shape, NaN or inf, a value out of
range, an empty input), the exception it must raise and the argument's name,
with which the message must start (for a damaged data file: the file). Removing the check from a function
makes its rows fail: numpy's own errors (or silent NaN) do not name the argument.
"""

import inspect
import re
import tempfile
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

import helpers.widgets
from helpers import check, course, data, environment, fit, grad, nn, optim, plots, settings
from helpers import widgets as helper_widgets

NAN, INF = float("nan"), float("inf")
X = np.ones((4, 3))
ONE_HOT = np.eye(2)[[0, 1, 1, 0]]


def _net():
    return nn.MLP([3, 4, 2], seed=0)


def _sgd_update(params, grads):
    optim.SGD(lr=0.1).update(params, grads)


def _damaged_file():
    path = Path(tempfile.mkdtemp()) / "damaged.npz"
    path.write_bytes(b"not a zip file")
    return path


def _figure():
    return plt.subplots()[0]


def _slider():
    return widgets.FloatSlider(value=0.5, min=0.0, max=1.0)


BAD_CALLS = [
    # helpers.data
    ("students n=0", lambda: data.three_good_students(0), ValueError, "n"),
    ("students n=2.5", lambda: data.three_good_students(2.5), TypeError, "n"),
    ("students seed str", lambda: data.three_good_students(5, seed="zero"), TypeError, "seed"),
    ("students seed < 0", lambda: data.three_good_students(5, seed=-1), ValueError, "seed"),
    ("students weights shape", lambda: data.three_good_students(5, weights=(0.5, 0.5)), ValueError, "weights"),
    ("students weights NaN", lambda: data.three_good_students(5, weights=(0.6, NAN, 0.1)), ValueError, "weights"),
    ("split fraction 1", lambda: data.train_test_split(np.arange(5), test_fraction=1.0), ValueError,
     "test_fraction"),
    ("split fraction str", lambda: data.train_test_split(np.arange(5), test_fraction="0.2"), TypeError,
     "test_fraction"),
    ("split fraction NaN", lambda: data.train_test_split(np.arange(5), test_fraction=NAN), ValueError,
     "test_fraction"),
    ("split seed float", lambda: data.train_test_split(np.arange(5), seed=0.5), TypeError, "seed"),
    ("split scalar", lambda: data.train_test_split(np.float64(3.0)), ValueError, r"arrays\[0\]"),
    ("is_three_good shape", lambda: data.is_three_good(np.ones((2, 2))), ValueError, "scores"),
    ("is_three_good NaN", lambda: data.is_three_good(np.full((1, 3), NAN)), ValueError, "scores"),
    ("is_three_good threshold inf", lambda: data.is_three_good(X, threshold=INF), ValueError, "threshold"),
    ("correlated correlation 1", lambda: data.correlated_students(5, correlation=1.0), ValueError, "correlation"),
    ("correlated seed float", lambda: data.correlated_students(5, seed=0.5), TypeError, "seed"),
    ("strict labels shape", lambda: data.strict_three_class_labels(np.zeros((2, 2))), ValueError, "scores"),
    ("strict labels threshold str", lambda: data.strict_three_class_labels(X, two_excellent_threshold="80"),
     TypeError, "two_excellent_threshold"),
    ("three_class threshold str", lambda: data.three_class_labels(X, two_excellent_threshold="80"), TypeError,
     "two_excellent_threshold"),
    ("stratified_split validation", lambda: data.stratified_split(np.arange(10) % 2, validation=1.2), ValueError,
     "validation"),
    ("stratified_split test str", lambda: data.stratified_split(np.arange(10) % 2, test="0.2"), TypeError, "test"),
    ("stratified_split seed", lambda: data.stratified_split(np.arange(10) % 2, seed=-1), ValueError, "seed"),
    ("minibatches batch_size", lambda: data.minibatches(5, 0), ValueError, "batch_size"),
    ("minibatches seed", lambda: data.minibatches(5, 2, seed="a"), TypeError, "seed"),
    ("digits_checksum floats", lambda: data.digits_checksum(np.zeros((1, 64)), np.zeros(1, np.uint8)), TypeError,
     "images"),
    ("load_digits damaged file", lambda: data.load_digits(_damaged_file()), ValueError,
     "the digits data file .*damaged.npz is corrupted"),
    # helpers.nn
    ("sigmoid str", lambda: nn.sigmoid(["a"]), TypeError, "z"),
    ("sigmoid NaN", lambda: nn.sigmoid(np.array([0.0, NAN])), ValueError, "z"),
    ("sigmoid_derivative inf", lambda: nn.sigmoid_derivative(INF), ValueError, "z"),
    ("tanh NaN", lambda: nn.tanh(NAN), ValueError, "z"),
    ("tanh_derivative str", lambda: nn.tanh_derivative("1"), TypeError, "z"),
    ("relu inf", lambda: nn.relu(np.array([INF])), ValueError, "z"),
    ("relu_derivative NaN", lambda: nn.relu_derivative(np.array([NAN])), ValueError, "z"),
    ("logsumexp empty", lambda: nn.logsumexp(np.array([])), ValueError, "z"),
    ("logsumexp NaN", lambda: nn.logsumexp(np.array([1.0, NAN])), ValueError, "z"),
    ("softmax empty", lambda: nn.softmax([]), ValueError, "z"),
    ("softmax inf", lambda: nn.softmax(np.array([INF, 0.0])), ValueError, "z"),
    ("one_hot fractional", lambda: nn.one_hot(np.array([0.5]), 2), ValueError, "labels"),
    ("one_hot out of range", lambda: nn.one_hot(np.array([3]), 3), ValueError, "labels"),
    ("one_hot 2-D", lambda: nn.one_hot(np.zeros((2, 2), dtype=int), 2), ValueError, "labels"),
    ("one_hot strings", lambda: nn.one_hot(np.array(["a"]), 2), TypeError, "labels"),
    ("one_hot num_classes str", lambda: nn.one_hot(np.array([0]), "3"), TypeError, "num_classes"),
    ("one_hot num_classes 0", lambda: nn.one_hot(np.array([0]), 0), ValueError, "num_classes"),
    ("cross_entropy 1-D logits", lambda: nn.cross_entropy(np.zeros(3), np.array([0])), ValueError, "logits"),
    ("cross_entropy empty", lambda: nn.cross_entropy(np.zeros((0, 3)), np.array([], dtype=int)), ValueError,
     "logits"),
    ("cross_entropy NaN logits", lambda: nn.cross_entropy(np.full((1, 2), NAN), np.array([0])), ValueError,
     "logits"),
    ("cross_entropy label count", lambda: nn.cross_entropy(np.zeros((2, 3)), np.array([0, 1, 2])), ValueError,
     "labels"),
    ("cross_entropy multi-hot", lambda: nn.cross_entropy(np.zeros((2, 3)), np.array([[1, 1, 0], [0, 1, 0]])),
     ValueError, "labels"),
    ("cross_entropy negative row", lambda: nn.cross_entropy(np.zeros((1, 3)), np.array([[1.5, -0.5, 0.0]])),
     ValueError, "labels"),
    ("cross_entropy row shape", lambda: nn.cross_entropy(np.zeros((2, 3)), np.eye(2)), ValueError, "labels"),
    ("bce 2-D logits", lambda: nn.binary_cross_entropy(np.zeros((2, 2)), np.zeros((2, 2))), ValueError, "logits"),
    ("bce empty", lambda: nn.binary_cross_entropy(np.array([]), np.array([])), ValueError, "logits"),
    ("bce labels > 1", lambda: nn.binary_cross_entropy(np.zeros(2), np.array([0.0, 2.0])), ValueError, "labels"),
    ("bce labels shape", lambda: nn.binary_cross_entropy(np.zeros(2), np.zeros(3)), ValueError, "labels"),
    ("MLP sizes too short", lambda: nn.MLP([3]), ValueError, "sizes"),
    ("MLP sizes str", lambda: nn.MLP("3, 2"), TypeError, "sizes"),
    ("MLP width 0", lambda: nn.MLP([3, 0, 2]), ValueError, r"sizes\[1\]"),
    ("MLP activation", lambda: nn.MLP([3, 2], activation="softplus"), ValueError, "activation"),
    ("MLP init negative", lambda: nn.MLP([3, 2], init=-1.0), ValueError, "init"),
    ("MLP init name", lambda: nn.MLP([3, 2], init="glorot"), ValueError, "init"),
    ("MLP seed float", lambda: nn.MLP([3, 2], seed=1.5), TypeError, "seed"),
    ("MLP dropout 1", lambda: nn.MLP([3, 4, 2], dropout=1.0), ValueError, "dropout"),
    ("dropout_mask rate", lambda: nn.dropout_mask((2, 2), 1.5, np.random.default_rng(0)), ValueError, "rate"),
    ("dropout_mask rng", lambda: nn.dropout_mask((2, 2), 0.5, 0), TypeError, "rng"),
    ("MLP loss name", lambda: nn.MLP([3, 2], loss="hinge"), ValueError, "loss"),
    ("MLP mse target shape", lambda: nn.MLP([3, 2], loss="mse").loss(X, np.ones(4)), ValueError, "labels"),
    ("MLP mse target NaN", lambda: nn.MLP([3, 1], loss="mse").gradient(X, np.full(4, NAN)), ValueError, "labels"),
    ("MLP one output, rows not probabilities", lambda: nn.MLP([3, 1]).gradient(X, np.full((4, 1), 0.5)),
     ValueError, "labels"),
    ("MLP seed negative", lambda: nn.MLP([3, 2], seed=-3), ValueError, "seed"),
    ("MLP.forward columns", lambda: _net().forward(np.ones((2, 4))), ValueError, "x"),
    ("MLP.forward NaN", lambda: _net().forward(np.full((2, 3), NAN)), ValueError, "x"),
    ("MLP.loss multi-hot", lambda: _net().loss(X, np.ones((4, 2))), ValueError, "labels"),
    ("MLP.loss label range", lambda: _net().loss(X, np.array([0, 1, 2, 0])), ValueError, "labels"),
    ("MLP.gradient multi-hot", lambda: _net().gradient(X, ONE_HOT + np.eye(2)[[1, 0, 0, 1]]), ValueError, "labels"),
    ("MLP.gradient negative row", lambda: _net().gradient(X, 2 * ONE_HOT - 0.5), ValueError, "labels"),
    ("MLP.gradient label count", lambda: _net().gradient(X, np.array([0, 1])), ValueError, "labels"),
    # helpers.grad
    ("numerical_gradient f", lambda: grad.numerical_gradient(3, np.ones(2)), TypeError, "f"),
    ("numerical_gradient int x", lambda: grad.numerical_gradient(np.sum, np.array([1, 2])), TypeError, "x"),
    ("numerical_gradient list x", lambda: grad.numerical_gradient(np.sum, [1.0, 2.0]), TypeError, "x"),
    ("numerical_gradient NaN x", lambda: grad.numerical_gradient(np.sum, np.array([NAN])), ValueError, "x"),
    ("numerical_gradient h 0", lambda: grad.numerical_gradient(np.sum, np.ones(2), h=0.0), ValueError, "h"),
    ("numerical_gradient h too small", lambda: grad.numerical_gradient(np.sum, np.array([1e10]), h=1e-8),
     ValueError, "h"),
    ("numerical_gradient f array", lambda: grad.numerical_gradient(lambda v: v, np.ones(2)), TypeError, "f"),
    ("relative_error shapes", lambda: grad.relative_error(np.ones(2), np.ones(3)), ValueError, "a and b"),
    ("relative_error NaN", lambda: grad.relative_error(np.array([NAN]), np.ones(1)), ValueError, "a"),
    ("relative_error str", lambda: grad.relative_error(np.ones(1), "b"), TypeError, "b"),
    # helpers.optim
    ("SGD lr 0", lambda: optim.SGD(lr=0.0), ValueError, "lr"),
    ("SGD lr str", lambda: optim.SGD(lr="0.1"), TypeError, "lr"),
    ("Momentum momentum 1", lambda: optim.Momentum(0.1, momentum=1.0), ValueError, "momentum"),
    ("Momentum nesterov str", lambda: optim.Momentum(0.1, nesterov="yes"), TypeError, "nesterov"),
    ("AdaGrad eps NaN", lambda: optim.AdaGrad(0.1, eps=NAN), ValueError, "eps"),
    ("RMSProp decay -0.1", lambda: optim.RMSProp(0.1, decay=-0.1), ValueError, "decay"),
    ("Adam beta1 1", lambda: optim.Adam(0.1, beta1=1.0), ValueError, "beta1"),
    ("Adam beta2 bool", lambda: optim.Adam(0.1, beta2=True), TypeError, "beta2"),
    ("AdamW weight_decay", lambda: optim.AdamW(0.1, weight_decay=-1.0), ValueError, "weight_decay"),
    ("EarlyStopping patience", lambda: optim.EarlyStopping(patience=0), ValueError, "patience"),
    ("EarlyStopping NaN loss", lambda: optim.EarlyStopping(3).step(NAN, {"w": np.ones(2)}), ValueError, "loss"),
    ("update keys", lambda: _sgd_update({"w": np.ones(2)}, {"v": np.ones(2)}), ValueError, "params and grads"),
    ("update shapes", lambda: _sgd_update({"w": np.ones(2)}, {"w": np.ones(3)}), ValueError, r"grads\['w'\]"),
    ("update NaN grads", lambda: _sgd_update({"w": np.ones(2)}, {"w": np.array([NAN, 0.0])}), ValueError,
     r"grads\['w'\]"),
    ("update int params", lambda: _sgd_update({"w": np.array([1, 2])}, {"w": np.ones(2)}), TypeError,
     r"params\['w'\]"),
    ("optimizer_path optimizer", lambda: optim.optimizer_path(None, lambda p: p, np.ones(2), 3), TypeError,
     "optimizer"),
    ("optimizer_path steps 0", lambda: optim.optimizer_path(optim.SGD(0.1), lambda p: p, np.ones(2), 0),
     ValueError, "steps"),
    ("optimizer_path start 2-D", lambda: optim.optimizer_path(optim.SGD(0.1), lambda p: p, np.ones((2, 2)), 3),
     ValueError, "start"),
    # helpers.fit
    ("fit_cos_exp shapes", lambda: fit.fit_cos_exp(np.arange(5.0), np.arange(4.0)), ValueError, "x and y"),
    ("fit_cos_exp NaN y", lambda: fit.fit_cos_exp(np.arange(5.0), np.full(5, NAN)), ValueError, "y"),
    ("fit_cos_exp spread", lambda: fit.fit_cos_exp(np.arange(5.0), np.arange(5.0), spread=-0.1), ValueError, "spread"),
    ("fit_cos_exp seed", lambda: fit.fit_cos_exp(np.arange(5.0), np.arange(5.0), seed="0"), TypeError, "seed"),
    ("fit_cos_exp starts", lambda: fit.fit_cos_exp(np.arange(5.0), np.arange(5.0), starts=np.ones((2, 3))),
     ValueError, "starts"),
    ("aggregate temperature", lambda: fit.aggregate(np.ones((2, 4)), np.ones(2), 0.0), ValueError, "temperature"),
    ("random_starts count", lambda: fit.random_starts(np.arange(5.0), 0, np.random.default_rng(0)), ValueError,
     "count"),
    ("random_starts rng", lambda: fit.random_starts(np.arange(5.0), 3, 0), TypeError, "rng"),
    ("random_starts flat x", lambda: fit.random_starts(np.ones(5), 3, np.random.default_rng(0)), ValueError, "x"),
    # helpers.plots
    ("optimizer_style number", lambda: plots.optimizer_style(3), TypeError, "name"),
    ("leaving_point path shape", lambda: plots.leaving_point(np.zeros((3, 3)), (-1, 1), (-1, 1)), ValueError,
     "path"),
    ("leaving_point x_range NaN", lambda: plots.leaving_point(np.zeros((3, 2)), (NAN, 1), (-1, 1)), ValueError,
     "x_range"),
    ("histogram_fractions range reversed", lambda: plots.histogram_fractions(np.zeros(4), (1, 0)), ValueError,
     "value_range"),
    ("histogram_fractions bins 0", lambda: plots.histogram_fractions(np.zeros(4), (0, 1), bins=0), ValueError,
     "bins"),
    ("switch_lecture_mode str", lambda: plots.switch_lecture_mode("yes"), TypeError, "on"),
    ("loss_surface all zero", lambda: plots.loss_surface(lambda x, y: 0 * x, (0, 1), (0, 1)), ValueError,
     "loss_fn"),
    ("loss_surface NaN loss", lambda: plots.loss_surface(lambda x, y: np.where(x > 0.5, NAN, 1.0), (0, 1), (0, 1), resolution=3),
     ValueError, "loss_fn"),
    ("loss_surface shape", lambda: plots.loss_surface(lambda x, y: 1.0, (0, 1), (0, 1)), ValueError, "loss_fn"),
    ("loss_surface resolution", lambda: plots.loss_surface(lambda x, y: x, (0, 1), (0, 1), resolution=0),
     ValueError, "resolution"),
    ("loss_surface x_range", lambda: plots.loss_surface(lambda x, y: x, (0,), (0, 1)), ValueError, "x_range"),
    ("loss_surface y_range NaN", lambda: plots.loss_surface(lambda x, y: x, (0, 1), (0, NAN)), ValueError,
     "y_range"),
    ("loss_surface path shape", lambda: plots.loss_surface(lambda x, y: x * x + 1, (0, 1), (0, 1),
                                                           paths={"p": np.ones((3, 3))}), ValueError, "paths"),
    ("loss_surface_3d ax", lambda: plots.loss_surface_3d(lambda x, y: x, (0, 1), (0, 1), ax=plt.subplots()[1]),
     ValueError, "ax"),
    ("loss_surface_3d resolution", lambda: plots.loss_surface_3d(lambda x, y: x, (0, 1), (0, 1), resolution=2.5),
     TypeError, "resolution"),
    ("training_curves NaN", lambda: plots.training_curves({"a": [1.0, NAN]}), ValueError, "curves"),
    ("training_curves 2-D", lambda: plots.training_curves({"a": np.ones((2, 2))}), ValueError, "curves"),
    ("optimizer_paths empty", lambda: plots.optimizer_paths(lambda x, y: x, {}, (0, 1), (0, 1)), ValueError,
     "paths"),
    ("decision_boundary resolution", lambda: plots.decision_boundary(lambda p: p[:, 0] > 0, (0, 1), (0, 1),
                                                                     resolution=-1), ValueError, "resolution"),
    ("decision_boundary points alone", lambda: plots.decision_boundary(lambda p: p[:, 0] > 0, (0, 1), (0, 1),
                                                                       points=np.ones((2, 2))), ValueError, "points"),
    ("decision_boundary output", lambda: plots.decision_boundary(lambda p: p, (0, 1), (0, 1), resolution=4),
     ValueError, "predict_fn"),
    ("decision_boundary labels", lambda: plots.decision_boundary(lambda p: p[:, 0] > 0, (0, 1), (0, 1),
                                                                 points=np.ones((2, 2)), labels=np.array([0, 9])),
     ValueError, "labels"),
    ("decision_boundary markers", lambda: plots.decision_boundary(lambda p: p[:, 0] > 0, (0, 1), (0, 1),
                                                                  class_names=("a", "b"), markers=("o",)),
     ValueError, "markers"),
    ("gradient_norms empty", lambda: plots.gradient_norms_by_layer([]), ValueError, "norms"),
    ("gradient_norms negative", lambda: plots.gradient_norms_by_layer([[-1.0, 1.0]]), ValueError, "norms"),
    ("gradient_norms labels", lambda: plots.gradient_norms_by_layer([[1.0]], labels=["a", "b"]), ValueError,
     "labels"),
    ("histograms empty", lambda: plots.activation_histograms([]), ValueError, "activations"),
    ("histograms bins", lambda: plots.activation_histograms([np.ones(3)], bins=0), ValueError, "bins"),
    ("histograms range", lambda: plots.activation_histograms([np.ones(3)], value_range=(1, 0)), ValueError,
     "value_range"),
    ("histograms NaN", lambda: plots.activation_histograms([np.array([NAN])]), ValueError, "activations"),
    # helpers.widgets
    ("log_slider low 0", lambda: helper_widgets.log_slider("lr", 0.1, 0.0, 1.0), ValueError, "low"),
    ("log_slider high < low", lambda: helper_widgets.log_slider("lr", 0.1, 1.0, 0.01), ValueError, "high"),
    ("log_slider value outside", lambda: helper_widgets.log_slider("lr", 5.0, 0.01, 1.0), ValueError, "value"),
    ("log_slider value str", lambda: helper_widgets.log_slider("lr", "0.1", 0.01, 1.0), TypeError, "value"),
    ("interactive_figure figure", lambda: helper_widgets.interactive_figure(None, lambda **v: None,
                                                                           {"a": _slider()}), TypeError, "figure"),
    ("interactive_figure update", lambda: helper_widgets.interactive_figure(_figure(), 3, {"a": _slider()}),
     TypeError, "update"),
    ("interactive_figure no controls", lambda: helper_widgets.interactive_figure(_figure(), lambda **v: None, {}),
     ValueError, "controls"),
    ("interactive_figure control", lambda: helper_widgets.interactive_figure(_figure(), lambda **v: None,
                                                                            {"a": 3}), TypeError, "controls"),
    ("interactive_figure cache_frames", lambda: helper_widgets.interactive_figure(
        _figure(), lambda **v: None, {"a": _slider()}, cache_frames="yes"), TypeError, "cache_frames"),
    # helpers.check (misusing a check is a bug in the lesson: it raises)
    ("close_to expected str", lambda: check.close_to(1.0, "one"), TypeError, "expected"),
    ("close_to expected NaN", lambda: check.close_to(1.0, NAN), ValueError, "expected"),
    ("close_to rtol", lambda: check.close_to(1.0, 1.0, rtol=-1.0), ValueError, "rtol"),
    ("array_close expected", lambda: check.array_close([1.0], ["a"]), TypeError, "expected"),
    ("choice correct", lambda: check.choice("a", "c", {"a": "A", "b": "B"}), ValueError, "correct"),
    ("function_matches reference", lambda: check.function_matches(abs, 3, [(1.0,)]), TypeError, "reference"),
    ("function_matches inputs", lambda: check.function_matches(abs, abs, []), ValueError, "inputs"),
    ("order_of_magnitude expected 0", lambda: check.order_of_magnitude(1.0, 0.0), ValueError, "expected"),
    ("order_of_magnitude decades", lambda: check.order_of_magnitude(1.0, 1.0, decades=0), ValueError, "decades"),
    # helpers.settings and helpers.course
    ("lecture_mode str", lambda: settings.lecture_mode("yes"), TypeError, "on"),
    ("lessons missing folder", lambda: course.lessons("/no/such/folder"), ValueError, "folder"),
    ("lesson_table missing folder", lambda: course.lesson_table("/no/such/folder"), ValueError, "folder"),
]


RECORDS = {"Verdict", "Lesson", "Requirement", "EnvironmentTable", "Diverged", "InteractiveFigure", "FitResult",
           "CosLayer", "ExpLayer", "CosExpModel"}
"""Public classes that only hold what a helper computed, and lesson 09's layers (built by hand there)."""


def test_the_table_calls_every_public_function_that_takes_arguments():
    assert len(BAD_CALLS) >= 40
    ids = [row[0] for row in BAD_CALLS]
    assert len(set(ids)) == len(ids)
    table = Path(__file__).read_text(encoding="utf-8").split("BAD_CALLS = [")[1].split("\n]\n")[0]
    called = {f"{module.replace('helper_', '')}.{name}" for module, name in re.findall(r"(\w+)\.(\w+)\(", table)}
    missing = []
    for module in (check, course, data, environment, fit, grad, nn, optim, plots, settings, helpers.widgets):
        short = module.__name__.split(".")[-1]
        for name, obj in vars(module).items():
            if (callable(obj) and not name.startswith("_") and getattr(obj, "__module__", "") == module.__name__
                    and name not in RECORDS and inspect.signature(obj).parameters
                    and f"{short}.{name}" not in called):
                missing.append(f"{short}.{name}")
    for method in ("forward", "loss", "gradient"):  # MLP's, called on _net()
        if f"_net().{method}" not in table:
            missing.append(f"MLP.{method}")
    assert not missing, f"no bad call in the table for {missing}"


@pytest.mark.parametrize("call, error, argument", [row[1:] for row in BAD_CALLS], ids=[row[0] for row in BAD_CALLS])
def test_bad_call_raises_naming_the_argument(call, error, argument):
    with pytest.raises(error) as caught:
        call()
    # the message starts with the argument's name ("x must be ...", "labels rows must ..."),
    # which numpy's own errors never do
    assert re.match(rf"{argument}(?!\w)", str(caught.value)), f"the message does not start with {argument!r}: {caught.value}"
