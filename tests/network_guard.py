"""Blocks every connection that leaves this machine, so the tests prove the course runs offline.

Used twice: ``tests/conftest.py`` blocks the test process itself, and the
top-level ``conftest.py`` writes an IPython startup file that runs this module
in every notebook kernel the tests start. Connections to this machine
(loopback addresses, Unix sockets) stay allowed: the kernels' own channels,
the Jupyter server of the browser and classroom tests.
"""

import ipaddress
import socket


class NetworkBlocked(ConnectionError):
    """A connection to another machine was attempted while the network is blocked."""


_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def _is_local(host) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host).split("%")[0]  # an IPv6 scope such as fe80::1%eth0
    if host.lower() in _LOCAL_NAMES or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # any other host name: resolving it would already use the network
    return address.is_loopback or address.is_unspecified


def _refuse(what) -> NetworkBlocked:
    return NetworkBlocked(f"the network is blocked in the course's tests: tried to reach {what!r}")


def block_network() -> None:
    """Make every connection to another machine, and every name lookup for one, raise :class:`NetworkBlocked`."""
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def remote(sock, address) -> bool:
        return sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0])

    def connect(sock, address):
        if remote(sock, address):
            raise _refuse(address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        if remote(sock, address):
            raise _refuse(address)
        return real_connect_ex(sock, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            raise _refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
    socket.NetworkBlocked = NetworkBlocked  # so a kernel's code can recognise the refusal
