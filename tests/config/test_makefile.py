"""The README's promise: `make test` runs every test, the accessibility ones included, since it installs
axe-core when npm is there."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def fake_npm(directory, log):
    """An npm that records its arguments and installs axe-core as `npm ci` would."""
    npm = directory / "npm"
    npm.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> {log}\n'
        "mkdir -p node_modules/axe-core && echo '// axe' > node_modules/axe-core/axe.min.js\n"
    )
    npm.chmod(0o755)


def make(target, cwd, path):
    return subprocess.run(
        ["make", "--no-print-directory", target],
        cwd=cwd,
        env={**os.environ, "PATH": path},
        capture_output=True,
        text=True,
        check=True,
    )


def test_make_test_installs_axe_core_when_npm_is_there_and_only_once(tmp_path):
    project, tools = tmp_path / "project", tmp_path / "bin"
    project.mkdir()
    tools.mkdir()
    for name in ("Makefile", "package.json", "package-lock.json", "pyproject.toml"):
        shutil.copy(ROOT / name, project)
    catalogue = Path("locale", "fr", "LC_MESSAGES", "django.po")
    (project / catalogue).parent.mkdir(parents=True)
    shutil.copy(ROOT / catalogue, project / catalogue)
    log = tmp_path / "npm.log"
    fake_npm(tools, log)
    path = f"{tools}:{os.environ['PATH']}"
    planned = subprocess.run(["make", "-n", "test"], cwd=project, capture_output=True, text=True, check=True)
    assert "npm ci" in planned.stdout.split(".venv/bin/pytest")[0]  # before the tests run
    make("axe", project, path)
    assert (project / "node_modules" / "axe-core" / "axe.min.js").exists()
    make("axe", project, path)
    assert log.read_text().splitlines() == ["ci --no-audit --no-fund --loglevel=error"]


def test_without_npm_make_test_goes_on(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "Makefile", project)
    shell_only = tmp_path / "bin"
    shell_only.mkdir()
    for tool in ("sh", "make", "command", "["):
        if found := shutil.which(tool):
            (shell_only / tool).symlink_to(found)
    make("axe", project, str(shell_only))
    assert not (project / "node_modules").exists()


def planned(*arguments):
    command = ["make", "--no-print-directory", "-n", *arguments]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout


def test_make_run_serves_on_the_port_asked_for():
    assert "manage.py runserver 127.0.0.1:8000" in planned("run")
    assert "manage.py runserver 127.0.0.1:8123" in planned("run", "PORT=8123")


def test_make_run_produces_the_open_data_files_before_serving():
    commands = [line.split("manage.py ")[1] for line in planned("run").splitlines() if "manage.py" in line]
    assert commands.index("load_seed") < commands.index("export_open_data") < len(commands) - 1
    assert commands[-1].startswith("runserver")
