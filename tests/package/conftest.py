"""A host site made the way the README says: the wheel, a `wagtail start` site, the README's steps.

The wheel, the virtual environment and the migrated `wagtail start` site are made once per
run and shared: each set-up copies the site and applies its own steps to the copy.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

REPOSITORY = Path(__file__).resolve().parents[2]
README = REPOSITORY / "README.md"
DISTRIBUTION = "wagtail-service-training"
PROJECT = "mysite"

# A README step: a hidden comment saying which set-ups it belongs to and what to do,
# then the fenced block it applies to.
STEP = re.compile(r"<!-- apply\((?P<group>\w+)\): (?P<action>.+?) -->\n```\w*\n(?P<text>.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Step:
    group: str
    action: str
    text: str


def readme_steps(*groups: str) -> list[Step]:
    """The README's steps for the given set-ups, in the README's order."""
    section = README.read_text().split("## Add it to your Wagtail site", 1)[1].split("\n## ", 1)[0]
    steps = [Step(**match.groupdict()) for match in STEP.finditer(section)]
    return [step for step in steps if step.group in groups]


@dataclass
class HostSite:
    """A `wagtail start` site in its own folder, run with the shared virtual environment."""

    path: Path
    bin: Path
    wheel: Path
    timings: dict[str, float]

    @property
    def env(self) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
        return {**env, "PATH": f"{self.bin}{os.pathsep}{env['PATH']}", "VIRTUAL_ENV": str(self.bin.parent)}

    def run(self, *command: str) -> str:
        result = subprocess.run(command, cwd=self.path, env=self.env, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{shlex.join(command)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout + result.stderr

    def manage(self, *arguments: str) -> str:
        return self.run(str(self.bin / "python"), "manage.py", *arguments)

    def apply(self, step: Step) -> None:
        """Do what a README step says, literally; the only change is the wheel's path for the package name."""
        action = step.action
        if action == "run":
            for line in step.text.splitlines():
                command = shlex.split(line)
                if command[:2] == ["pip", "install"]:
                    command = [str(self.wheel) if word == DISTRIBUTION else word for word in command]
                self.run(*command)
            return
        if match := re.fullmatch(r"append to (\S+)", action):
            target = self.path / match[1]
            target.write_text(f"{target.read_text()}\n{step.text}")
            return
        if match := re.fullmatch(r"remove from (\S+)", action):
            target = self.path / match[1]
            text = target.read_text()
            for line in step.text.splitlines():
                assert f"{line}\n" in text, f"{target} has no line {line!r} to remove"
                text = text.replace(f"{line}\n", "", 1)
            target.write_text(text)
            return
        if match := re.fullmatch(r"insert into (\S+) before (.+)", action):
            target, anchor = self.path / match[1], match[2]
            text = target.read_text()
            assert anchor in text, f"{target} has no {anchor!r} to insert before"
            target.write_text(text.replace(anchor, f"{step.text}{anchor}", 1))
            return
        raise ValueError(f"The README has a step this test cannot do: {action!r}")

    def serve(self) -> Iterator[str]:
        """Run the site's development server until the generator is closed; yields its URL."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            [str(self.bin / "python"), "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=self.path,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                assert server.poll() is None, f"runserver stopped:\n{server.stderr.read()}"
                assert time.monotonic() < deadline, "runserver did not answer within 30 s"
                with socket.socket() as client:
                    if client.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=10)


# Seconds spent on each stage, written after the test results.
TIMINGS: dict[str, float] = {}


@pytest.fixture(scope="session")
def timings() -> dict[str, float]:
    return TIMINGS


def pytest_terminal_summary(terminalreporter) -> None:
    if TIMINGS:
        summary = ", ".join(f"{name} {seconds:.1f}" for name, seconds in TIMINGS.items())
        terminalreporter.write_line(f"host site timings (s): {summary}")


class Stopwatch:
    def __init__(self, timings: dict[str, float], name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.start = time.monotonic()

    def __exit__(self, *exc_info) -> None:
        self.timings[self.name] = time.monotonic() - self.start


@pytest.fixture(scope="session")
def migrated_site(tmp_path_factory, timings) -> HostSite:
    """The wheel built, a virtual environment of its own, and a fresh `wagtail start` site, migrated."""
    work = tmp_path_factory.mktemp("host")
    with Stopwatch(timings, "build"):
        subprocess.run(
            [sys.executable, "-m", "build", "--outdir", str(work / "dist"), str(REPOSITORY)],
            check=True,
            capture_output=True,
        )
    wheel = next((work / "dist").glob("*.whl"))
    with Stopwatch(timings, "venv"):
        subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True, capture_output=True)
        # Wagtail itself, to make the site; the README's first step brings the training apps.
        bin = work / "venv" / "bin"
        subprocess.run(
            [str(bin / "python"), "-m", "pip", "install", "--quiet", wagtail_requirement()],
            check=True,
            capture_output=True,
        )
    site = HostSite(path=work / "base", bin=bin, wheel=wheel, timings=timings)
    with Stopwatch(timings, "wagtail start and migrate"):
        site.path.mkdir()
        site.run(str(bin / "wagtail"), "start", PROJECT, str(site.path))
        site.manage("migrate", "--noinput")
    return site


def wagtail_requirement() -> str:
    """Wagtail as the demo pins it, so that pip's cache has it."""
    lines = (REPOSITORY / "requirements.txt").read_text().splitlines()
    return next(line for line in lines if line.startswith("wagtail=="))


def set_up(migrated_site: HostSite, tmp_path: Path, name: str, groups: tuple[str, ...]) -> HostSite:
    """A copy of the migrated site with the README's steps for ``groups`` applied."""
    site = HostSite(
        path=tmp_path / name, bin=migrated_site.bin, wheel=migrated_site.wheel, timings=migrated_site.timings
    )
    shutil.copytree(migrated_site.path, site.path)
    with Stopwatch(site.timings, f"{name}: README steps"):
        for step in readme_steps(*groups):
            site.apply(step)
    site.manage(
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('learner', password='learner-password')",
    )
    return site


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
