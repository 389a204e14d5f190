"""The course's numpy MLP against PyTorch on the CPU: a time ratio, reported only when both take the same steps.

Same 64-128-64-10 ReLU network, weights and batches of 128; each helpers.optim optimizer against its torch.optim
twin; float64 on both sides. If a weight differs by more than TOLERANCE after CHECK_STEPS steps, no ratio is
given. Timed runs alternate (numpy, torch, torch, numpy, ...); the ratio is the median of the paired ratios.
PyTorch gets numpy's BLAS thread count (OPENBLAS_NUM_THREADS, else one per core). Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import time

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # PyTorch is optional: the rows then say skipped
    torch = None

from helpers import optim
from helpers.nn import MLP

SIZES, BATCH, BATCHES = [64, 128, 64, 10], 128, 8
STEPS, REPEATS, CHECK_STEPS, TOLERANCE = 200, 5, 10, 1e-9
# helpers.optim class and its settings -> the torch.optim class and settings that make the same steps
OPTIMIZERS = {
    "SGD": (optim.SGD, {"lr": 0.1}, "SGD", {"lr": 0.1}),
    "Momentum": (optim.Momentum, {"lr": 0.05, "momentum": 0.9}, "SGD", {"lr": 0.05, "momentum": 0.9}),
    "AdaGrad": (optim.AdaGrad, {"lr": 0.01}, "Adagrad", {"lr": 0.01}),
    "RMSProp": (optim.RMSProp, {"lr": 1e-3, "decay": 0.99}, "RMSprop", {"lr": 1e-3, "alpha": 0.99}),
    "Adam": (optim.Adam, {"lr": 1e-3}, "Adam", {"lr": 1e-3}),
}


def numpy_seconds(net, optimizer, batches, steps: int) -> float:
    start = time.perf_counter()
    for step in range(steps):
        x, labels = batches[step % len(batches)]
        optimizer.update(net.params, net.gradient(x, labels))
    return time.perf_counter() - start


def torch_seconds(model, optimizer, batches, steps: int) -> float:
    start = time.perf_counter()
    for step in range(steps):
        x, labels = batches[step % len(batches)]
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()
    return time.perf_counter() - start


def torch_twin(net):
    """A PyTorch network with ``net``'s layers and current weights (torch stores each W transposed)."""
    layers = []
    for layer in range(1, len(net.sizes)):
        linear = torch.nn.Linear(net.sizes[layer - 1], net.sizes[layer], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(net.params[f"W{layer}"].T))
            linear.bias.copy_(torch.from_numpy(net.params[f"b{layer}"]))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])  # no activation after the output layer


def pair(name: str):
    """A fresh numpy network and optimizer, and their PyTorch twins."""
    ours, our_settings, theirs, their_settings = OPTIMIZERS[name]
    net = MLP(SIZES, seed=0)
    model = torch_twin(net)
    return (net, ours(**our_settings)), (model, getattr(torch.optim, theirs)(model.parameters(), **their_settings))


def compare(name: str, batches, torch_batches) -> dict:
    (net, ours), (model, theirs) = pair(name)
    numpy_seconds(net, ours, batches, CHECK_STEPS)
    torch_seconds(model, theirs, torch_batches, CHECK_STEPS)
    twin = torch_twin(net)  # numpy's weights now, in torch's layout
    difference = max(float((a - b).detach().abs().max()) for a, b in zip(model.parameters(), twin.parameters()))
    result = {"largest_difference": difference, "check_steps": CHECK_STEPS, "tolerance": TOLERANCE}
    if not difference <= TOLERANCE:  # also catches NaN
        return result
    (net, ours), (model, theirs) = pair(name)
    sides = [(numpy_seconds, net, ours, batches), (torch_seconds, model, theirs, torch_batches)]
    for timer, network, optimizer, data in sides:
        timer(network, optimizer, data, STEPS // 10)  # warm-up: first calls allocate and load code
    numpy_s, torch_s = [], []
    for repeat in range(REPEATS):
        for timer, network, optimizer, data in (sides if repeat % 2 == 0 else sides[::-1]):
            (numpy_s if timer is numpy_seconds else torch_s).append(timer(network, optimizer, data, STEPS))
    return {**result, "numpy_steps_per_s": STEPS / statistics.median(numpy_s),
            "torch_steps_per_s": STEPS / statistics.median(torch_s),
            "ratio": statistics.median(n / t for n, t in zip(numpy_s, torch_s))}


def compare_all() -> dict:
    if torch is None:
        return {"skipped": "PyTorch is not installed (optional: `pip install torch==2.13.0`, a CPU build)"}
    threads = int(os.environ.get("OPENBLAS_NUM_THREADS") or os.cpu_count() or 1)  # numpy's BLAS default
    torch.set_num_threads(threads)
    rng = np.random.default_rng(0)
    batches = [(rng.normal(size=(BATCH, SIZES[0])), rng.integers(0, SIZES[-1], size=BATCH)) for _ in range(BATCHES)]
    torch_batches = [(torch.from_numpy(x), torch.from_numpy(labels)) for x, labels in batches]
    return {"torch": torch.__version__, "threads": threads, "network": "-".join(map(str, SIZES)), "batch": BATCH,
            "optimizers": {name: compare(name, batches, torch_batches) for name in OPTIMIZERS}}


if __name__ == "__main__":
    print(json.dumps(compare_all()))
