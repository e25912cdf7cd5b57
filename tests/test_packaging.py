"""The built wheel carries the bundled decks and plans, and finds them when installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_wheel(out: Path) -> Path:
    uv = shutil.which("uv")
    command = (
        [uv, "build", "--wheel", "--out-dir", str(out)]
        if uv
        else [sys.executable, "-m", "build", "--wheel", "--outdir", str(out)]
    )
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=300)
    (wheel,) = out.glob("studyplan-*.whl")
    return wheel


def test_the_wheel_ships_decks_and_plans_and_an_installed_copy_finds_them(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in [
        *ROOT.glob("decks/**/*.md"),
        *ROOT.glob("plans/*.md"),
        ROOT / "decks" / "tags.toml",
    ]:
        assert f"studyplan/_bundled/{source.relative_to(ROOT).as_posix()}" in names
    assert "studyplan/ui/app.tcss" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    found = subprocess.run(
        [sys.executable, "-c", "from studyplan import paths; print(paths.bundled_decks())"],
        env={"PYTHONPATH": str(site), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(found) == site / "studyplan" / "_bundled" / "decks"
