"""A class on one machine, simulated: what tests/test_classroom.py and benchmarks/classroom.py share.

- :class:`Classroom`: the hub of ``classroom/jupyterhub_config.py`` started on 127.0.0.1
  (free ports, a temporary state folder), with a test-only authenticator (below) in place of
  PAM; real system users created with ``useradd`` (home folders mode 700) so that each
  student's server runs as that student; the course served by ``git daemon`` on 127.0.0.1
  from a bare repository standing for the course's remote, with a teacher's working copy
  beside it. Everything is stopped and removed by :meth:`Classroom.close`, by process id;
  the hub's and git daemon's logs are copied to test-artifacts/classroom/ first.
- :class:`Student`: what a browser does for one student: log in, follow the nbgitpuller
  link (spawn, OAuth, the git-pull page, then the event stream the page's script reads),
  run a notebook in a kernel over the server's websocket, save through the contents API.

Needs root (users, and a hub that starts servers as them), git, configurable-http-proxy
(npm) and the class environment that ``classroom/install.sh`` builds.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("classroom_links", REPO / "classroom" / "links.py")
links = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(links)
CONFIG = REPO / "classroom" / "jupyterhub_config.py"
CLASS_ENV = Path(os.environ.get("CLASSROOM_ENV", "/opt/course-classroom"))
LESSON = "student/00_welcome.ipynb"  # what every student opens first
SOLUTIONS = "notebooks/00_welcome.ipynb"  # where the test finds a right answer for each exercise

# The test-only authenticator: a password per student, handed to the hub process in an
# environment variable. It lives here, with the tests; nothing a teacher runs uses it.
TEST_AUTHENTICATOR = '''
import json, os, hmac
from jupyterhub.auth import Authenticator

class ClassTestAuthenticator(Authenticator):
    """Test only: the passwords the test made up (never use this for a real class)."""

    passwords = json.loads(os.environ["CLASS_TEST_PASSWORDS"])

    async def authenticate(self, handler, data):
        expected = self.passwords.get(data["username"])
        if expected is not None and hmac.compare_digest(expected, data["password"]):
            return data["username"]
        return None

c.JupyterHub.authenticator_class = ClassTestAuthenticator
c.Authenticator.allowed_users = set(ClassTestAuthenticator.passwords)
'''


def missing_prerequisites() -> list[str]:
    """What this machine lacks to run a class, each with what to do about it (empty: all there)."""
    missing = []
    if shutil.which("git") is None:
        missing.append("git is not installed")
    if shutil.which("npm") is None:
        missing.append("npm is not installed (configurable-http-proxy, JupyterHub's proxy, comes from npm)")
    if not missing:
        if shutil.which("configurable-http-proxy") is None:
            missing.append("configurable-http-proxy is not installed: run `bash classroom/install.sh`")
        if not (CLASS_ENV / "bin" / "jupyterhub").exists():
            missing.append(f"no class environment in {CLASS_ENV}: run `bash classroom/install.sh`")
        if os.geteuid() != 0:
            missing.append("not root: a hub that starts each student's server as that student must run as root")
    return missing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout:.0f} s")


def run(*cmd, cwd=None, **kwargs) -> str:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True, timeout=120, **kwargs)
    if done.returncode:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def git(*args, cwd) -> str:
    return run("git", "-c", "user.name=Teacher", "-c", "user.email=teacher@example.org", *args, cwd=cwd)


def stop(process: subprocess.Popen, grace: float = 30) -> None:
    """Stop one process we started: SIGTERM, then SIGKILL after ``grace`` seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


class Classroom:
    """A running hub, its students (system users) and the course's git remote, all temporary."""

    def __init__(self, students: int, *, prefix: str | None = None, extra_config: str = "", http_timeout=None,
                 start_timeout=None, pam: bool = False, outsiders: int = 0):
        """``pam``: keep the config's real login (system passwords, members of one group only)
        instead of the test-only authenticator; ``outsiders``: system users outside that group."""
        self.tag = prefix or "c" + secrets.token_hex(3)  # user names stay unique on a shared machine
        self.base = Path(tempfile.mkdtemp(prefix="classroom-"))
        self.base.chmod(0o755)  # students must reach their homes and the course's remote
        self.names = [f"{self.tag}s{i + 1}" for i in range(students)]
        self.outsiders = [f"{self.tag}x{i + 1}" for i in range(outsiders)]
        self.passwords = {name: secrets.token_urlsafe(12) for name in self.names + self.outsiders}
        self.pam, self.group = pam, f"{self.tag}g"
        self.users: list[str] = []
        self.processes: list[subprocess.Popen] = []
        self.logs: list = []
        self.extra_config = extra_config
        self.timeouts = {"CLASS_HTTP_TIMEOUT": http_timeout, "CLASS_START_TIMEOUT": start_timeout}
        try:
            self._make_users()
            self._make_remote()
            self._start_hub()
        except BaseException:
            self.close()
            raise

    # --- set-up -------------------------------------------------------------------------
    def _make_users(self) -> None:
        (self.base / "home").mkdir(mode=0o755)
        if self.pam:
            run("groupadd", self.group)
            self.groups = [self.group]
        for name in self.names + self.outsiders:
            home = self.base / "home" / name
            groups = ["--groups", self.group] if self.pam and name in self.names else []
            run("useradd", "--create-home", "--home-dir", home, "--shell", "/usr/sbin/nologin", "--user-group",
                *groups, name)
            self.users.append(name)
            home.chmod(0o700)  # a student's work is theirs alone
        if self.pam:  # real system passwords, for the config's own (PAM) login
            run("chpasswd", input="".join(f"{n}:{p}\n" for n, p in self.passwords.items()))

    def home(self, name: str) -> Path:
        return self.base / "home" / name

    def _make_remote(self) -> None:
        """The course's remote (bare, served read-only by git daemon) and a teacher's working copy."""
        served = self.base / "git"
        self.remote = served / "course"
        self.teacher = self.base / "teacher"
        self.teacher.mkdir()
        for part in ("README.md", "pyproject.toml", "helpers", "notebooks", "student", "binder"):
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, self.teacher / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
            else:
                shutil.copy2(source, self.teacher / part)
        git("init", "--quiet", "--initial-branch=main", cwd=self.teacher)
        git("add", ".", cwd=self.teacher)
        git("commit", "--quiet", "-m", "The course", cwd=self.teacher)
        git("clone", "--quiet", "--bare", self.teacher, self.remote, cwd=self.base)
        git("remote", "add", "origin", self.remote, cwd=self.teacher)
        run("chmod", "-R", "a+rX", served)
        port = free_port()
        log = open(self.base / "git-daemon.log", "w")
        self.logs.append(log)
        self.processes.append(subprocess.Popen(
            ["git", "daemon", "--reuseaddr", "--listen=127.0.0.1", f"--port={port}", f"--base-path={served}",
             "--export-all", "--informative-errors", str(served)], stdout=log, stderr=subprocess.STDOUT))
        wait_for_port(port, 30)
        self.repo_url = f"git://127.0.0.1:{port}/course"

    def _start_hub(self) -> None:
        state = self.base / "hub"
        state.mkdir(mode=0o700)
        config = state / "test_config.py"
        authenticator = "" if self.pam else TEST_AUTHENTICATOR
        config.write_text(f"load_subconfig({str(CONFIG)!r})\n{authenticator}\n{self.extra_config}\n",
                          encoding="utf-8")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {"PATH": f"{CLASS_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
               "HOME": str(state), "CLASS_STATE_DIR": str(state), "CLASS_HUB_URL": self.url,
               "CLASS_HUB_API_URL": f"http://127.0.0.1:{free_port()}",
               "CLASS_PROXY_API_URL": f"http://127.0.0.1:{free_port()}",
               "CLASS_GROUP": self.group, "CLASS_TEST_PASSWORDS": json.dumps(self.passwords)}
        env.update({key: str(value) for key, value in self.timeouts.items() if value})
        log = open(state / "jupyterhub.log", "w")
        self.logs.append(log)
        self.hub_log = state / "jupyterhub.log"
        self.hub = subprocess.Popen([str(CLASS_ENV / "bin" / "jupyterhub"), "-f", str(config)], cwd=state, env=env,
                                    stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(self.hub)
        import requests

        deadline = time.monotonic() + 90
        while True:
            if self.hub.poll() is not None:
                raise RuntimeError(f"the hub exited ({self.hub.returncode}):\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/health", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the hub did not answer in 90 s:\n{self.log_tail()}")
            time.sleep(0.5)

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.hub_log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except (OSError, AttributeError):
            return "(no hub log)"

    # --- the teacher ----------------------------------------------------------------------
    def link(self, path: str = LESSON) -> str:
        """The nbgitpuller link a teacher hands out (classroom/links.py, docs/classroom.md)."""
        return links.pull_link(self.url, self.repo_url, path)

    def teacher_commits(self, message: str) -> None:
        git("commit", "--quiet", "-am", message, cwd=self.teacher)
        git("push", "--quiet", "origin", "main", cwd=self.teacher)

    # --- tear-down ------------------------------------------------------------------------
    def user_processes(self) -> list:
        import psutil

        uids = set()
        for name in self.users:
            try:
                uids.add(pwd.getpwnam(name).pw_uid)
            except KeyError:
                pass
        found = []
        for process in psutil.process_iter(["uids"]):
            try:
                if process.info["uids"] and process.info["uids"].real in uids:
                    found.append(process)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                pass
        return found

    def close(self) -> None:
        """Stop the hub (it stops the students' servers and its proxy), git daemon; remove users and files."""
        for process in reversed(self.processes):
            stop(process)
        import psutil

        leftovers = self.user_processes()  # a server the hub could not stop: ours, ended by pid
        for process in leftovers:
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        psutil.wait_procs(leftovers, timeout=10)
        for name in self.users:
            subprocess.run(["userdel", "--remove", name], capture_output=True, timeout=60)
        self.users = []
        for group in getattr(self, "groups", []):
            subprocess.run(["groupdel", group], capture_output=True, timeout=60)
        self.groups = []
        for log in self.logs:
            log.close()
        keep = REPO / "test-artifacts" / "classroom"  # the hub's log of the last class, to read after a failure
        try:
            keep.mkdir(parents=True, exist_ok=True)
            for log in self.base.glob("**/*.log"):
                shutil.copy2(log, keep / log.name)
        except OSError:
            pass
        shutil.rmtree(self.base, ignore_errors=True)


class Student:
    """One student's browser: cookies after logging in, then a token for the API calls."""

    def __init__(self, classroom: Classroom, name: str, timeout: float = 180):
        import requests

        self.classroom, self.name, self.timeout = classroom, name, timeout
        self.http = requests.Session()
        self.token = None
        self.server = f"{classroom.url}/user/{name}"

    # --- through the hub ----------------------------------------------------------------
    def log_in(self) -> None:
        if not self.try_log_in(self.classroom.passwords[self.name]):
            raise AssertionError(f"{self.name} could not log in:\n{self.classroom.log_tail(10)}")

    def try_log_in(self, password: str) -> bool:
        """The login form, as a browser submits it; True if the hub logged the student in."""
        hub = self.classroom.url
        self.http.get(f"{hub}/hub/login", timeout=60).raise_for_status()
        answer = self.http.post(f"{hub}/hub/login", timeout=60, allow_redirects=False, data={
            "username": self.name, "password": password, "_xsrf": self.http.cookies.get("_xsrf", path="/hub/")})
        if answer.status_code >= 500:
            answer.raise_for_status()
        return answer.status_code == 302 and self.http.cookies.get("jupyterhub-hub-login", path="/hub/") is not None

    def open_link(self, link: str) -> float:
        """Follow the nbgitpuller link as a browser would, until the git-pull page of the
        student's own server is served (the server is started on the way); then read the
        event stream that page's script reads, until the pull has finished. Returns the
        seconds until the server answered."""
        start = time.monotonic()
        deadline = start + self.timeout
        while True:
            page = self.http.get(link, timeout=self.timeout)
            path = urllib.parse.urlparse(page.url).path
            if page.status_code == 200 and path == f"/user/{self.name}/git-pull":
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.name}: no server after {self.timeout:.0f} s (last page {page.url}, "
                                   f"HTTP {page.status_code})")
            if page.status_code >= 500 or "/hub/spawn-pending/" not in page.url and page.status_code != 200:
                raise AssertionError(f"{self.name}: HTTP {page.status_code} at {page.url}: {page.text[:300]}")
            time.sleep(1)
        ready = time.monotonic() - start
        if self.token is None:
            self.token = self._new_token()
        self.pull(urllib.parse.parse_qs(urllib.parse.urlparse(link).query))
        return ready

    def _new_token(self) -> str:
        answer = self.http.post(f"{self.classroom.url}/hub/api/users/{self.name}/tokens", timeout=60,
                                headers={"X-XSRFToken": self.http.cookies.get("_xsrf", path="/hub/")},
                                json={"note": "class simulation", "expires_in": 3600})
        answer.raise_for_status()
        return answer.json()["token"]

    def pull(self, query: dict) -> list[str]:
        """nbgitpuller's sync API (what the git-pull page's script opens as an EventSource)."""
        params = {"repo": query["repo"][0], "branch": query["branch"][0], "targetpath": "course"}
        output = []
        with self.http.get(f"{self.server}/git-pull/api", params=params, headers=self.auth, stream=True,
                           timeout=self.timeout) as stream:
            stream.raise_for_status()
            for line in stream.iter_lines(decode_unicode=True):
                if not line or not line.startswith("data:"):
                    continue
                event = json.loads(line[len("data:"):])
                output.append(event.get("output", ""))
                if event.get("phase") == "error":
                    raise AssertionError(f"{self.name}: nbgitpuller failed: {event.get('message')}\n"
                                         + "".join(output))
                if event.get("phase") == "finished":
                    return output
        raise AssertionError(f"{self.name}: nbgitpuller's stream ended before 'finished':\n" + "".join(output))

    @property
    def auth(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    # --- on the student's server ----------------------------------------------------------
    def api(self, method: str, path: str, *, server: str | None = None, **kwargs):
        return self.http.request(method, f"{server or self.server}/api/{path}", headers=self.auth,
                                 timeout=self.timeout, **kwargs)

    def read_notebook(self, path: str) -> dict:
        answer = self.api("GET", f"contents/course/{path}", params={"content": 1, "type": "notebook"})
        answer.raise_for_status()
        return answer.json()["content"]

    def save_notebook(self, path: str, notebook: dict) -> None:
        """Save as JupyterLab does: the whole notebook model, through the contents API."""
        answer = self.api("PUT", f"contents/course/{path}", json={"type": "notebook", "format": "json",
                                                                   "content": notebook})
        answer.raise_for_status()

    def start_kernel(self, path: str) -> Kernel:
        answer = self.api("POST", "sessions", json={"path": f"course/{path}", "type": "notebook",
                                                   "name": Path(path).name, "kernel": {"name": "python3"}})
        answer.raise_for_status()
        return Kernel(self, answer.json()["kernel"]["id"])


class Kernel:
    """A kernel of a student's server, driven over its websocket as JupyterLab does."""

    def __init__(self, student: Student, kernel_id: str):
        import websocket

        self.student, self.id = student, kernel_id
        url = student.server.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        self.session = uuid.uuid4().hex
        self.socket = websocket.create_connection(url, header=[f"Authorization: token {student.token}"],
                                                  timeout=student.timeout)

    def execute(self, code: str) -> tuple[list[dict], int | None]:
        """Run ``code``; return its outputs (nbformat's shape) and execution count."""
        msg_id = uuid.uuid4().hex
        self.socket.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "session": self.session,
                       "username": self.student.name, "version": "5.3",
                       "date": datetime.datetime.now(datetime.timezone.utc).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        outputs, count, idle, replied = [], None, False, False
        deadline = time.monotonic() + self.student.timeout
        while not (idle and replied):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.student.name}: a cell ran longer than {self.student.timeout:.0f} s")
            message = json.loads(self.socket.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "status" and content["execution_state"] == "idle":
                idle = True
            elif kind == "execute_reply":
                replied, count = True, content.get("execution_count")
            elif kind == "stream":
                outputs.append({"output_type": "stream", "name": content["name"], "text": content["text"]})
            elif kind in ("execute_result", "display_data"):
                output = {"output_type": kind, "data": content["data"], "metadata": content.get("metadata", {})}
                if kind == "execute_result":
                    output["execution_count"] = content["execution_count"]
                outputs.append(output)
            elif kind == "error":
                outputs.append({"output_type": "error", "ename": content["ename"], "evalue": content["evalue"],
                                "traceback": content["traceback"]})
        return outputs, count

    def close(self) -> None:
        self.socket.close()


def source(cell: dict) -> str:
    text = cell["source"]
    return text if isinstance(text, str) else "".join(text)


def tagged(notebook: dict, tag: str) -> list[int]:
    return [i for i, cell in enumerate(notebook["cells"]) if tag in cell.get("metadata", {}).get("tags", [])]


def errors(outputs: list[dict]) -> list[str]:
    return [f"{o['ename']}: {o['evalue']}" for o in outputs if o["output_type"] == "error"]


def text_of(outputs: list[dict]) -> str:
    parts = []
    for output in outputs:
        if output["output_type"] == "stream":
            parts.append(output["text"])
        elif "data" in output:
            parts.append(str(output["data"].get("text/markdown", "")) + str(output["data"].get("text/html", ""))
                         + str(output["data"].get("text/plain", "")))
    return "\n".join(parts)


def run_notebook(kernel: Kernel, notebook: dict) -> list[str]:
    """Run every code cell in order, storing outputs in ``notebook`` as JupyterLab would;
    return the errors (cell index: error)."""
    problems = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        outputs, count = kernel.execute(source(cell))
        cell["outputs"], cell["execution_count"] = outputs, count
        problems += [f"cell {index}: {e}" for e in errors(outputs)]
    return problems


def memory_of(classroom: Classroom, name: str) -> dict:
    """Memory of one student's processes (server, kernel): RSS, and PSS (shared pages split)."""
    import psutil

    uid = pwd.getpwnam(name).pw_uid
    rss = pss = 0
    count = 0
    for process in psutil.process_iter(["uids"]):
        try:
            if process.info["uids"] and process.info["uids"].real == uid:
                info = process.memory_full_info()
                rss, pss, count = rss + info.rss, pss + getattr(info, "pss", info.rss), count + 1
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return {"rss_mb": rss / 2**20, "pss_mb": pss / 2**20, "processes": count}
