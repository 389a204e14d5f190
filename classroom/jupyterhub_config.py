"""JupyterHub for a class on one machine (docs/classroom.md walks a teacher through it).

Run it as root, from the environment that classroom/install.sh built::

    sudo /opt/course-classroom/bin/jupyterhub -f classroom/jupyterhub_config.py

- Students log in with their own system account and password (PAM), and only members of
  the group ``CLASS_GROUP`` (default ``students``) may: create them with
  ``useradd --create-home --groups students NAME`` and ``passwd NAME``.
- Each student gets a server running as their own user, in their own home folder (mode
  700, so no student can read another's work), from the class environment: the course's
  requirements, its helpers package, nbgitpuller.
- Students starting at once need longer than JupyterHub's default timeouts on a small
  machine: the values below come from benchmarks/classroom.py (results in
  benchmarks/classroom.md).
- Idle servers are stopped after an hour (jupyterhub-idle-culler); the student's files stay.

It listens on 127.0.0.1:8000. Put HTTPS in front of it (a reverse proxy such as nginx or
Caddy with a certificate) before students connect over a network: passwords must never
travel in clear text. The Littlest JupyterHub (TLJH) does all of this for you and is the
recommended way for one server; this file is the tested minimum.

Every setting can be moved by an environment variable, which is how tests/test_classroom.py
runs it on free ports in a temporary folder.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

ENV = Path(sys.prefix)  # the class environment this hub runs from (classroom/install.sh)
STATE = Path(os.environ.get("CLASS_STATE_DIR", "/var/lib/course-classroom"))
STATE.mkdir(parents=True, exist_ok=True, mode=0o700)

# --- where it listens (loopback; HTTPS belongs in front) -------------------------------
c.JupyterHub.bind_url = os.environ.get("CLASS_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = os.environ.get("CLASS_HUB_API_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = os.environ.get("CLASS_PROXY_API_URL", "http://127.0.0.1:8001")
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

# --- who may log in: real system accounts, members of one group ----------------------------
c.JupyterHub.authenticator_class = "pam"
c.LocalAuthenticator.allowed_groups = {os.environ.get("CLASS_GROUP", "students")}
c.Authenticator.admin_users = set(filter(None, os.environ.get("CLASS_TEACHERS", "").split(",")))

# --- each student's server: their own user, their own home, the class environment ----------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {
    # the class environment first (its python is the kernel), then git for nbgitpuller
    "PATH": f"{ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
}
# nothing else from the hub's own environment (no PYTHONPATH pointing into a checkout)
c.Spawner.env_keep = ["LANG", "LC_ALL", "JUPYTERHUB_SINGLEUSER_APP"]
# Only a hint here: LocalProcessSpawner does not enforce it, it passes MEM_LIMIT to the server
# (TLJH's systemd spawner and Kubernetes enforce their limits). Measured need: about 330 MB per
# student after a lesson (benchmarks/classroom.md).
c.Spawner.mem_limit = os.environ.get("CLASS_MEM_LIMIT", "1G")

# --- timeouts for a whole class starting in the same minute (benchmarks/classroom.md) -----
# Measured on 2 (busy) cores: of 20 students starting at once, 14 took longer than JupyterHub's
# default http_timeout of 30 s (those starts fail with the default), the slowest 37.6 s.
# About three times the worst: a busier machine or a slower disk must not fail a class.
c.Spawner.start_timeout = int(os.environ.get("CLASS_START_TIMEOUT", "180"))
c.Spawner.http_timeout = int(os.environ.get("CLASS_HTTP_TIMEOUT", "120"))
c.JupyterHub.concurrent_spawn_limit = 100

# --- stop servers nobody has used for an hour (their files stay in the home folder) -------
CULL_AFTER = os.environ.get("CLASS_CULL_AFTER", "3600")
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_AFTER}"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
