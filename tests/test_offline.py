"""The course runs offline, and the same on every run.

The top-level conftest blocks every connection to another machine, in the test
process and, through a startup file in a private IPYTHONDIR, in every notebook
kernel the tests start; so the notebook and helpers tests passing means the
course needs no network. These tests prove the block is really in place (a
connection attempt fails with the block's own error, not a timeout that an
offline machine would also give), and that helpers keeps no global random state.
"""

import ast
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from jupyter_client.manager import start_new_kernel

from helpers.data import three_good_students, train_test_split
from helpers.nn import MLP

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
ATTEMPT = """
import socket, urllib.request
try:
    socket.create_connection(("192.0.2.1", 80), timeout=5)   # TEST-NET-1: never a real host
except socket.NetworkBlocked as error:
    print("blocked:", error)
try:
    urllib.request.urlopen("https://mybinder.org", timeout=5)
except OSError as error:
    print("blocked:", error)
"""


def test_a_connection_from_the_test_process_fails_with_the_block():
    with pytest.raises(socket.NetworkBlocked, match="192.0.2.1"):
        socket.create_connection(("192.0.2.1", 80), timeout=5)
    with pytest.raises(socket.NetworkBlocked, match="mybinder.org"):
        socket.getaddrinfo("mybinder.org", 443)
    with pytest.raises(urllib.error.URLError, match="network is blocked"):
        urllib.request.urlopen("https://mybinder.org", timeout=5)


def test_connections_within_this_machine_still_work():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            accepted, _ = server.accept()
            accepted.close()


def test_a_connection_from_a_notebook_kernel_fails_with_the_block():
    assert Path(os.environ["IPYTHONDIR"], "profile_default", "startup", "00-block-network.py").is_file()
    manager, client = start_new_kernel(kernel_name="python3")  # inherits IPYTHONDIR, as nbval's kernels do
    try:
        printed = []
        reply = client.execute_interactive(
            ATTEMPT, timeout=60,
            output_hook=lambda msg: printed.append(msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
        assert reply["content"]["status"] == "ok"
        lines = "".join(printed).splitlines()
        assert len(lines) == 2 and all("network is blocked" in line for line in lines), lines
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_helpers_draw_no_global_random_numbers():
    # in the source: every random draw goes through np.random.default_rng(seed)
    for path in HELPERS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute) \
                    and node.value.attr == "random" and node.attr not in ("default_rng", "Generator"):
                pytest.fail(f"{path.name}:{node.lineno} uses np.random.{node.attr}, global random state")
    # at run time: the global generator is left untouched, and a seed gives the same result twice
    before = np.random.get_state()[1].copy()
    runs = [(three_good_students(5, seed=3)[0], train_test_split(np.arange(9), seed=4)[0],
             MLP([3, 4, 2], seed=5).params["W1"]) for _ in range(2)]
    np.testing.assert_array_equal(np.random.get_state()[1], before)
    for first, second in zip(*runs):
        np.testing.assert_array_equal(first, second)
