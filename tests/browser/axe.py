"""axe-core in the browser: the accessibility rules a page breaks.

axe-core's single file is fetched from npm into .cache/axe (the Makefile's test set-up does the
same); it is injected into the page under test and run there.
"""

import subprocess
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.10.3"
AXE_FILE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "axe.min.js"
#: What the site must never have; "minor" findings are reported by axe but not counted here.
BLOCKING_IMPACTS = {"critical", "serious", "moderate"}


def axe_source() -> str:
    """axe-core's script, fetched with ``npm pack`` the first time."""
    if not AXE_FILE.exists():
        AXE_FILE.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                ["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent"], cwd=folder, check=True, capture_output=True
            )
            with tarfile.open(Path(folder) / f"axe-core-{AXE_VERSION}.tgz") as archive:
                member = archive.extractfile("package/axe.min.js")
                AXE_FILE.write_bytes(member.read())
    return AXE_FILE.read_text()


def violations(page) -> list[str]:
    """The blocking violations on the page as it is now, one line each: rule, impact, where."""
    page.add_script_tag(content=axe_source())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{page.url} {violation['id']} ({violation['impact']}): {node['target']}"
        for violation in results["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
        for node in violation["nodes"]
    ]
