"""The course's from-scratch MLP against PyTorch on the CPU: training steps per second.

Both train the same 64-128-64-10 ReLU network from the same starting weights
on the same batches of 128, with the same optimizer settings; a short check
first confirms that they really compute the same steps. Runs alternate
(numpy, torch, torch, numpy, ...) so that a burst of load from other work on
the machine hits both sides alike, and the ratio is the median of the
per-pair ratios.

Both use float64: helpers.nn computes in float64 throughout (its inputs go
through ``np.asarray(..., dtype=float)``), so PyTorch is asked for the same
precision rather than comparing float64 arithmetic with float32.

Run as a script it prints one JSON object; ``run.py`` runs it in a separate
process so that the BLAS environment can be set for it alone.
"""

from __future__ import annotations

import json
import os
import statistics
import time

import numpy as np

import helpers.optim
from helpers.nn import MLP

SIZES = [64, 128, 64, 10]
BATCH = 128
BATCHES = 8  # a small fixed dataset of 8 batches, cycled through
STEPS = 300
REPEATS = 7
CHECK_STEPS = 5
LEARNING_RATES = {"SGD": 0.1, "Adam": 1e-3}


def make_batches(seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(BATCH, SIZES[0])), rng.integers(0, SIZES[-1], size=BATCH)) for _ in range(BATCHES)]


def blas_threads() -> tuple[int, str]:
    """How many threads numpy's BLAS uses, and how that was found out."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
            if os.environ.get(variable):
                return int(os.environ[variable]), variable
        return os.cpu_count() or 1, "OpenBLAS default (one per core); threadpoolctl not installed"
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    return blas[0]["num_threads"], f"threadpoolctl: {blas[0]['internal_api']} {blas[0].get('version')}, " \
                                   f"kernel {blas[0].get('architecture')}"


def numpy_optimizer(name: str):
    return getattr(helpers.optim, name)(lr=LEARNING_RATES[name])


def numpy_seconds(net: MLP, optimizer, batches, steps: int) -> float:
    """Seconds for ``steps`` training steps: forward, backpropagation, optimizer update."""
    start = time.perf_counter()
    for step in range(steps):
        x, labels = batches[step % len(batches)]
        optimizer.update(net.params, net.gradient(x, labels))
    return time.perf_counter() - start


def torch_twin(net: MLP):
    """A PyTorch network with exactly ``net``'s layers and current weights (torch stores W transposed)."""
    import torch

    layers = []
    for layer in range(1, len(net.sizes)):
        linear = torch.nn.Linear(net.sizes[layer - 1], net.sizes[layer], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(net.params[f"W{layer}"].T))
            linear.bias.copy_(torch.from_numpy(net.params[f"b{layer}"]))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])  # no activation after the output layer


def torch_optimizer(name: str, model):
    import torch

    return getattr(torch.optim, name)(model.parameters(), lr=LEARNING_RATES[name])


def torch_seconds(model, optimizer, batches, steps: int) -> float:
    import torch.nn.functional as F

    start = time.perf_counter()
    for step in range(steps):
        x, labels = batches[step % len(batches)]
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), labels).backward()
        optimizer.step()
    return time.perf_counter() - start


def torch_batches(batches):
    import torch

    return [(torch.from_numpy(x), torch.from_numpy(labels)) for x, labels in batches]


def largest_difference(name: str, batches) -> float:
    """Largest |Δ| between the two networks' weights after a few identical steps: ~1e-16 if they agree."""
    net = MLP(SIZES, seed=0)
    model = torch_twin(net)
    numpy_seconds(net, numpy_optimizer(name), batches, CHECK_STEPS)
    torch_seconds(model, torch_optimizer(name, model), torch_batches(batches), CHECK_STEPS)
    twin = torch_twin(net)
    return max(float((a - b).detach().abs().max()) for a, b in zip(model.parameters(), twin.parameters()))


def where_numpy_time_goes(name: str, batches, steps: int = STEPS, top: int = 4) -> list[tuple[str, float]]:
    """The functions a numpy training step spends most of its own time in, with their shares.

    cProfile adds a fixed cost to every Python call, so the shares lean towards
    functions called often; they say where to look, not what a fix would save.
    """
    import cProfile
    import pstats

    net, optimizer = MLP(SIZES, seed=0), numpy_optimizer(name)
    profiler = cProfile.Profile()
    profiler.runcall(numpy_seconds, net, optimizer, batches, steps)
    stats = pstats.Stats(profiler).stats  # (file, line, function) -> (calls, calls, own time, cumulative, callers)
    total = sum(own for _, _, own, _, _ in stats.values())
    ranked = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return [(f"{os.path.basename(file)}:{function}" if file != "~" else function, own / total)
            for (file, _, function), (_, _, own, _, _) in ranked]


def compare(name: str, batches, repeats: int = REPEATS, steps: int = STEPS) -> dict:
    """Steps per second of both, alternating numpy and torch runs; medians over ``repeats``."""
    net, twin_batches = MLP(SIZES, seed=0), torch_batches(batches)
    model = torch_twin(net)
    numpy_opt, torch_opt = numpy_optimizer(name), torch_optimizer(name, model)
    numpy_seconds(net, numpy_opt, batches, steps // 10)  # warm-up: first calls allocate and load code
    torch_seconds(model, torch_opt, twin_batches, steps // 10)
    numpy_rates, torch_rates = [], []
    for repeat in range(repeats):
        runs = [("numpy", net, numpy_opt, batches, numpy_seconds), ("torch", model, torch_opt, twin_batches, torch_seconds)]
        for side, network, optimizer, data, timer in (runs if repeat % 2 == 0 else runs[::-1]):
            rate = steps / timer(network, optimizer, data, steps)
            (numpy_rates if side == "numpy" else torch_rates).append(rate)
    ratios = [t / n for n, t in zip(numpy_rates, torch_rates)]  # numpy time per step / torch time per step
    return {"numpy_steps_per_s": statistics.median(numpy_rates), "torch_steps_per_s": statistics.median(torch_rates),
            "ratio": statistics.median(ratios), "repeats": repeats, "steps": steps,
            "largest_difference": largest_difference(name, batches)}


def numpy_only(name: str, batches, repeats: int = REPEATS, steps: int = STEPS) -> dict:
    net = MLP(SIZES, seed=0)
    optimizer = numpy_optimizer(name)
    rates = [steps / numpy_seconds(net, optimizer, batches, steps) for _ in range(repeats)]
    return {"numpy_steps_per_s": statistics.median(rates), "repeats": repeats, "steps": steps}


def main() -> dict:
    threads, source = blas_threads()
    result = {"blas_threads": threads, "blas": source, "sizes": SIZES, "batch": BATCH, "optimizers": {},
              "load_at_start": os.getloadavg()[0]}
    try:
        import torch
    except ImportError:
        torch = None
    else:
        torch.set_num_threads(threads)
        result["torch"] = f"{torch.__version__}, {torch.get_num_threads()} threads"
    batches = make_batches()
    for name in LEARNING_RATES:
        if not hasattr(helpers.optim, name):  # an optimizer whose lesson has not landed yet
            continue
        result["optimizers"][name] = compare(name, batches) if torch else numpy_only(name, batches)
        result["optimizers"][name]["numpy_profile"] = where_numpy_time_goes(name, batches)
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
