"""A throwaway production deployment on loopback: PostgreSQL, gunicorn and ``db_worker`` processes.

Used by the real-run test (tests/deploy/test_real_run.py) and the load benchmark (bench/load.py).
The processes run ``config.settings.production`` with the environment docs/deploy.md lists, as a
deployment would, with one difference: there is no TLS proxy in front, so clients made by
:func:`behind_tls_proxy` send the ``X-Forwarded-Proto: https`` header such a proxy adds (and keep the
secure cookies a browser would keep on an https site).

    with Stack() as stack:
        stack.manage("migrate")
        url = stack.start_web(workers=2)
        stack.start_task_workers(2)

Everything started is stopped when the block ends, failures included. Ports are free ones picked at
start (PostgreSQL's comes from PGPORT_FOR_TESTS when set).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    if not versions:
        raise RuntimeError("PostgreSQL is not installed (Debian package: postgresql).")
    return versions[-1]


class Stack:
    """PostgreSQL, web and task-worker processes on loopback, in a temporary folder; stopped on exit."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="training-stack-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.pg_port = int(os.environ.get("PGPORT_FOR_TESTS") or free_port())
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        self.environment = {
            key: value for key, value in os.environ.items() if key not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
        } | {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "loopback-" + os.urandom(24).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/training",
            "STATIC_ROOT": str(self.folder / "static"),
            "MEDIA_ROOT": str(self.folder / "media"),
            "PYTHONUNBUFFERED": "1",
        }
        self.base_url = ""

    def __enter__(self) -> Stack:
        try:
            self.start_postgres()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # PostgreSQL ----------------------------------------------------------------------------------

    @property
    def data(self) -> Path:
        return self.folder / "pgdata"

    def start_postgres(self) -> None:
        if self.as_postgres:
            # initdb refuses to run as root: the server runs as the postgres user, in a folder it owns.
            shutil.chown(self.folder, "postgres")
        pg = postgres_bin()
        subprocess.run(
            [*self.as_postgres, pg / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync"],
            check=True,
            capture_output=True,
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.pg_port} -k {self.folder} -c max_connections=200"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        subprocess.run(
            [
                *self.as_postgres,
                pg / "pg_ctl",
                "-D",
                self.data,
                "-w",
                "-l",
                self.folder / "pg.log",
                "-o",
                options,
                "start",
            ],
            check=True,
            capture_output=True,
        )
        self.psql("CREATE DATABASE training")

    def psql(self, sql: str) -> str:
        """Run ``sql`` in the training database (or, for CREATE DATABASE, the maintenance one); return rows."""
        database = "postgres" if sql.startswith("CREATE DATABASE") else "training"
        connect = ["-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "-d", database]
        result = subprocess.run(
            [postgres_bin() / "psql", *connect, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout

    def postgres_pids(self) -> list[int]:
        """The server's processes (the postmaster and its backends), for measuring their CPU."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        return [postmaster, *children_of(postmaster)]

    # Django --------------------------------------------------------------------------------------

    def manage(self, *args: str, timeout: float = 300) -> str:
        """Run ``manage.py`` with the production settings; return its output, or raise with it on failure."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def run_python(self, code: str) -> object:
        """Run ``code`` in ``manage.py shell`` with the production settings; return the JSON its last line prints."""
        return json.loads(self.manage("shell", "--no-imports", "-c", code).strip().splitlines()[-1])

    def deploy(self) -> None:
        """The first deployment's steps of docs/deploy.md (without the trainer and the modules).

        collectstatic does not touch the database: it runs beside migrate, which saves half a minute.
        """
        collecting = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            self.manage("migrate", "--noinput", "-v0")
            self.manage("createcachetable")
        finally:
            output = collecting.communicate(timeout=300)[0]
        if collecting.returncode:
            raise RuntimeError(f"manage.py collectstatic failed:\n{output.decode(errors='replace')}")

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process in stop()
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log = log
        self.processes[name] = process
        return process

    def start_web(self, workers: int = 2) -> str:
        """Start gunicorn with ``workers`` sync workers; return its base URL once /healthz answers."""
        port = free_port()
        self.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--preload",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
            ],
        )
        self.base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.processes["web"].poll() is not None:
                raise RuntimeError(f"gunicorn stopped:\n{self.log('web')}")
            try:
                if requests.get(f"{self.base_url}/healthz", timeout=10).status_code == 200:
                    return self.base_url
            except requests.RequestException:  # not listening yet, or still loading the app
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz within 120 s:\n{self.log('web')}")

    def start_task_workers(self, count: int = 2) -> None:
        command = [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"]
        for number in range(1, count + 1):
            self.start(f"worker-{number}", [*command, "--worker-id", f"worker-{number}"])

    def web_pids(self) -> list[int]:
        master = self.processes["web"].pid
        return [master, *children_of(master)]

    def worker_pids(self) -> list[int]:
        return [process.pid for name, process in self.processes.items() if name.startswith("worker-")]

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-4000:]

    # Stopping ------------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop every process started here (each in its own session), then PostgreSQL; remove the folder."""
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            process.log.close()
        self.processes.clear()
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                [*self.as_postgres, postgres_bin() / "pg_ctl", "-D", self.data, "-m", "immediate", "stop"],
                capture_output=True,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


def children_of(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def accept_secure_cookies(response: requests.Response, *args, **kwargs) -> requests.Response:
    """Keep the secure cookies a browser keeps on the https site: drop their Secure flag before the session
    stores them, since the hop to gunicorn is plain HTTP. ``response.headers`` still shows them as sent."""
    headers = response.raw._original_response.msg
    cookies = headers.get_all("Set-Cookie") or []
    if cookies:
        del headers["Set-Cookie"]
        for cookie in cookies:
            headers["Set-Cookie"] = re.sub(r";\s*secure(?=;|$)", "", cookie, flags=re.IGNORECASE)
    return response


def behind_tls_proxy(session: requests.Session, base_url: str) -> requests.Session:
    """Make ``session`` talk to ``base_url`` as a browser on the https site would through the TLS proxy."""
    session.hooks["response"].append(accept_secure_cookies)
    session.headers.update({"X-Forwarded-Proto": "https", "Origin": base_url.replace("http://", "https://")})
    return session
