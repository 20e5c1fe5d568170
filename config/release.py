"""The release the server runs, read once at start-up, so that a cache never serves to new code what
old code wrote (lib/cache.py puts it in every key): RELEASE from the environment (what a deployment
sets, e.g. the commit it ships), else the commit of the source tree read from git's files, else the
package's version."""

import os
from importlib import metadata
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def current_release():
    return os.environ.get("RELEASE", "").strip()[:40] or _git_commit(BASE_DIR) or _package_version()


def _git_commit(root):
    """The commit checked out in `root`, read from .git (a folder, or a worktree's file naming it)."""
    try:
        git = root / ".git"
        if git.is_file():
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:12]
        ref = head.removeprefix("ref: ")
        common = git / "commondir"
        shared = (git / common.read_text().strip()).resolve() if common.exists() else git
        for place in (git / ref, shared / ref):
            if place.exists():
                return place.read_text().strip()[:12]
        for line in (shared / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line[:12]
    except (OSError, IndexError):
        pass
    return ""


def _package_version():
    try:
        return metadata.version("cooperations-iae")
    except metadata.PackageNotFoundError:
        return "dev"
