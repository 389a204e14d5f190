#!/usr/bin/env bash
# Install what a class on one machine needs (docs/classroom.md explains the set-up):
#   1. configurable-http-proxy, JupyterHub's proxy, from npm (npm itself from Debian if missing);
#   2. one Python environment for the hub and for every student's server and kernel, built
#      from the system's Python (students must be able to run it: not a pyenv under /root):
#      the course's requirements.txt, the course's helpers package copied in (not linked to
#      this checkout: like an image, a change to helpers/ reaches students when this script
#      runs again), and classroom/requirements.txt (JupyterHub, nbgitpuller, the idle culler).
#      (binder/requirements.txt's exact pins need Python >= 3.11.5, newer than Debian 12's.)
# Usage, as root:  bash classroom/install.sh          (environment in /opt/course-classroom)
#                  CLASSROOM_ENV=/some/dir bash classroom/install.sh
# Nothing else is downloaded; running it again brings the environment up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
ENV_DIR="${CLASSROOM_ENV:-/opt/course-classroom}"
# The system's Python: every student must be able to run it, so not one under /root (pyenv)
PYTHON="${CLASSROOM_PYTHON:-/usr/bin/python3}"
CHP_VERSION=5.3.0

if ! command -v npm >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    CHP_VERSION=4.6.3   # 5.x needs Node.js 20 (Debian 12's own nodejs is 18)
fi
if [ "$(configurable-http-proxy --version 2>/dev/null || true)" != "$CHP_VERSION" ]; then
    npm install --global --no-fund --no-audit "configurable-http-proxy@$CHP_VERSION"
fi

if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv
fi
if [ -x "$ENV_DIR/bin/python" ] && [ "$(readlink -f "$ENV_DIR/bin/python")" != "$(readlink -f "$PYTHON")" ]; then
    rm -rf "$ENV_DIR"   # built from another Python: start again
fi
"$PYTHON" -m venv "$ENV_DIR"
"$ENV_DIR/bin/python" -m pip install --quiet --upgrade pip
pins="$(mktemp)"
trap 'rm -f "$pins"' EXIT
grep -v '^-e ' requirements.txt > "$pins"   # everything but the editable helpers
"$ENV_DIR/bin/python" -m pip install --quiet -r "$pins" -r classroom/requirements.txt
"$ENV_DIR/bin/python" -m pip install --quiet --no-deps --force-reinstall .
# students' servers run as the students: they must be able to read and run the environment
chmod -R a+rX "$ENV_DIR"
echo "class environment ready: $ENV_DIR (jupyterhub $("$ENV_DIR/bin/jupyterhub" --version)," \
     "configurable-http-proxy $(configurable-http-proxy --version))"
