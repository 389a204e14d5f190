"""Lesson 05's automatic-differentiation engine, tested where it lives: in the notebook.

The engine (``Value`` and its operations, ``Dual``, ``StaticGraph``) is the lesson itself, so it is
written once, in the cells of notebooks/05_derivatives.ipynb tagged ``engine``. These tests run
exactly those cells and compare the engine with central differences, with hand-derived values and
with each other. Its exercises are tested with every other lesson's, by tests/test_exercises.py.
"""

import ast
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

from helpers.grad import numerical_gradient
from lessons import NOTEBOOKS, load, source, tags

CELLS = load(NOTEBOOKS / "05_derivatives.ipynb")["cells"]


def run(code, namespace):
    """Execute ``code`` like a notebook cell: return the value of a final bare expression, if any."""
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), namespace)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
    return None


def load_engine():
    namespace = {"math": math}  # the engine cells must need nothing else
    for cell in CELLS:
        if "engine" in tags(cell):
            run(source(cell), namespace)
    return namespace


ENGINE = load_engine()
Value, Dual = ENGINE["Value"], ENGINE["Dual"]
StaticGraph, dynamic, topological_order = ENGINE["StaticGraph"], ENGINE["dynamic"], ENGINE["topological_order"]


# --- random expressions ---------------------------------------------------------------------------
# A tree is ("x", i) for input i, ("c", number, lifted) for a constant (a plain float, or a Value/Dual
# when lifted), (op, child) for a unary op, or (op, left, right) for "+", "-" or "*".

UNARY = ("exp", "tanh", "sigmoid", "neg", "log_of_square_plus_one")
VARIABLES = 3

leaves = st.one_of(
    st.tuples(st.just("x"), st.integers(0, VARIABLES - 1)),
    st.tuples(st.just("c"), st.floats(-2, 2, allow_nan=False), st.booleans()),
)
expressions = st.recursive(
    leaves,
    lambda children: st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*"]), children, children),
        st.tuples(st.sampled_from(UNARY), children),
    ),
    max_leaves=12,
)
points = st.lists(st.floats(-2, 2, allow_nan=False), min_size=VARIABLES, max_size=VARIABLES)


def with_engine(tree, inputs, lift):
    """Build the expression from engine numbers (``inputs``); ``lift`` makes a float an engine number."""
    kind = tree[0]
    if kind == "x":
        return inputs[tree[1]]
    if kind == "c":
        return lift(tree[1]) if tree[2] else tree[1]
    if kind in UNARY:
        a = with_engine(tree[1], inputs, lift)
        a = a if isinstance(a, (Value, Dual)) else lift(a)
        if kind == "neg":
            return -a
        if kind == "log_of_square_plus_one":
            return (a * a + 1).log()
        return getattr(a, kind)()
    a, b = with_engine(tree[1], inputs, lift), with_engine(tree[2], inputs, lift)
    return a + b if kind == "+" else a - b if kind == "-" else a * b


def with_floats(tree, x):
    """The same expression with plain floats and textbook formulas: (value, largest |intermediate|)."""
    kind = tree[0]
    if kind == "x":
        return float(x[tree[1]]), abs(float(x[tree[1]]))
    if kind == "c":
        return tree[1], abs(tree[1])
    if kind in UNARY:
        a, scale = with_floats(tree[1], x)
        value = {"exp": math.exp, "tanh": math.tanh, "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
                 "neg": lambda z: -z, "log_of_square_plus_one": lambda z: math.log(z * z + 1)}[kind](a)
        return value, max(scale, abs(value), a * a)
    (a, scale_a), (b, scale_b) = with_floats(tree[1], x), with_floats(tree[2], x)
    value = a + b if kind == "+" else a - b if kind == "-" else a * b
    return value, max(scale_a, scale_b, abs(value))


def evaluate_or_skip(tree, x):
    try:
        value, scale = with_floats(tree, x)
    except OverflowError:
        assume(False)
    assume(scale < 1e4)  # keep to expressions whose central differences are meaningful
    return value, scale


def reverse_mode(tree, x):
    inputs = [Value(v) for v in x]
    out = with_engine(tree, inputs, Value)
    out = out if isinstance(out, Value) else Value(out)
    out.backward()
    return out.data, np.array([v.grad for v in inputs])


def forward_mode(tree, x):
    derivatives = []
    for i in range(len(x)):
        out = with_engine(tree, [Dual(v, float(j == i)) for j, v in enumerate(x)], Dual)
        derivatives.append(out.dot if isinstance(out, Dual) else 0.0)
    return np.array(derivatives)


@settings(max_examples=300, deadline=None)
@given(expressions, points)
def test_engine_gradients_agree_with_central_differences(tree, point):
    x = np.array(point)
    value, scale = evaluate_or_skip(tree, x)
    data, grad = reverse_mode(tree, x)
    assert data == pytest.approx(value, rel=1e-9, abs=1e-12 * scale)
    numeric = numerical_gradient(lambda v: with_floats(tree, v)[0], x, h=1e-6)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-6 * (1 + scale))


@settings(max_examples=200, deadline=None)
@given(expressions, points)
def test_forward_mode_gives_the_same_gradient_as_reverse_mode(tree, point):
    x = np.array(point)
    _, scale = evaluate_or_skip(tree, x)
    _, grad = reverse_mode(tree, x)
    np.testing.assert_allclose(forward_mode(tree, x), grad, rtol=1e-9, atol=1e-12 * (1 + scale))


@settings(max_examples=200, deadline=None)
@given(expressions, points, points)
def test_static_replay_equals_a_fresh_trace_for_branch_free_functions(tree, traced_at, point):
    evaluate_or_skip(tree, np.array(traced_at))
    _, scale = evaluate_or_skip(tree, np.array(point))

    def f(*inputs):
        out = with_engine(tree, list(inputs), Value)
        return out if isinstance(out, Value) else Value(out)

    replayed_value, replayed_grad = StaticGraph(f, *traced_at)(*point)
    fresh_value, fresh_grad = dynamic(f, *point)
    assert replayed_value == pytest.approx(fresh_value, rel=1e-12, abs=1e-12 * scale)
    np.testing.assert_allclose(replayed_grad, fresh_grad, rtol=1e-9, atol=1e-12 * (1 + scale))


# --- hand-derived values --------------------------------------------------------------------------

def gradient_of(build, *values):
    inputs = [Value(v) for v in values]
    build(*inputs).backward()
    return [v.grad for v in inputs]


def test_local_rules_by_hand():
    assert gradient_of(lambda x: x * x.exp(), 1.0)[0] == pytest.approx(2 * math.e)  # (x e^x)' = (1 + x) e^x
    assert gradient_of(lambda x: x.log(), 2.0)[0] == pytest.approx(0.5)
    assert gradient_of(lambda x: x.tanh(), 0.0)[0] == pytest.approx(1.0)
    assert gradient_of(lambda x: x.sigmoid(), 0.0)[0] == pytest.approx(0.25)
    assert gradient_of(lambda a, b: a * b + a, 2.0, -3.0) == pytest.approx([-2.0, 2.0])
    assert gradient_of(lambda a, b: 5 - a * b, 2.0, -3.0) == pytest.approx([3.0, -2.0])


def test_a_value_used_several_times_collects_every_contribution():
    assert gradient_of(lambda x: x + x + x, 1.5)[0] == 3.0
    assert gradient_of(lambda x: x * x * x, 2.0)[0] == pytest.approx(12.0)


def test_backward_twice_gives_the_same_gradients_not_double():
    x = Value(0.7)
    y = (x * x).tanh()
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == first == pytest.approx(2 * 0.7 * (1 - math.tanh(0.49) ** 2))


def test_a_graph_ten_thousand_steps_deep_needs_no_recursion():
    x = Value(1.0)
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y.backward()
    assert x.grad == pytest.approx(1.0001 ** 10_000)


def test_topological_order_lists_every_node_once_after_its_parents():
    a, b = Value(1.0), Value(2.0)
    shared = a * b
    out = (shared + a) * shared.exp()
    order = topological_order(out)
    position = {id(node): i for i, node in enumerate(order)}
    assert len(order) == len(position) == 6  # a, b, a*b, a*b + a, its exp, the product: none twice
    assert order[-1] is out
    for node in order:
        assert all(position[id(parent)] < position[id(node)] for parent in node._parents)


def test_sigmoid_saturates_without_overflow():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert Dual(-1000.0, 1.0).sigmoid().dot == 0.0
    for z in (-3.0, -0.2, 0.0, 1.5):
        assert Value(z).sigmoid().data == pytest.approx(1 / (1 + math.exp(-z)), rel=1e-14)


def test_dual_numbers_follow_the_product_rule_and_count_operations():
    Dual.operations = 0
    x, y = Dual(3.0, 1.0), Dual(4.0, 0.0)
    out = x * y + x  # d/dx (x y + x) = y + 1
    assert (out.value, out.dot) == (15.0, 5.0)
    assert Dual.operations == 2


def test_a_static_graph_keeps_the_branch_it_was_traced_with():
    def magnitude(x):
        return x if x.data >= 0 else -x

    assert dynamic(magnitude, -3.0) == (3.0, [-1.0])
    assert StaticGraph(magnitude, 2.0)(-3.0) == (-3.0, [1.0])  # the lesson's point: silently wrong
