"""The Procfile and the systemd units of docs/deploy.md run commands that exist, in files systemd accepts."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def test_the_procfile_declares_release_web_and_worker_with_commands_that_exist():
    processes = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())

    assert set(processes) == {"release", "web", "worker"}
    assert processes["web"].startswith("gunicorn config.wsgi ")
    commands = re.findall(r"manage\.py (\w+)", " ".join(processes.values()))
    assert commands == ["migrate", "createcachetable", "db_worker"]
    assert set(commands) <= set(get_commands())


def test_the_units_run_the_three_kinds_of_process():
    starts = {
        unit.name: re.search(r"^ExecStart=(.*)$", unit.read_text(), re.MULTILINE).group(1)
        for unit in UNITS.glob("*.service")
    }

    assert "gunicorn config.wsgi" in starts["training-web.service"]
    assert "manage.py db_worker" in starts["training-worker@.service"]
    assert "manage.py training_sweep" in starts["training-sweep.service"]
    assert {"db_worker", "training_sweep"} <= set(get_commands())


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_accepts_the_units(tmp_path):
    for unit in UNITS.glob("training-*"):
        name = unit.name.replace("@.", "@1.")
        (tmp_path / name).write_text(unit.read_text())
    names = [*sorted(path.name for path in tmp_path.glob("*.service")), "training-sweep.timer"]

    result = subprocess.run(["systemd-analyze", "verify", *names], cwd=tmp_path, capture_output=True, text=True)

    # The checkout under /srv/training does not exist here; anything else would be a mistake in a unit.
    problems = [line for line in result.stderr.splitlines() if "is not executable" not in line and line.strip()]
    assert problems == []
