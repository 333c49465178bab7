#!/usr/bin/env python3
"""Build an offline Hufu release bundle for the Ansible roles (hufu_release_bundle).

A bundle is one tar file holding the hufu wheel, every dependency as a wheel, a lock file
(requirements.txt, each distribution pinned to the exact version in the bundle) and RELEASE
(version, commit, build time). Hosts install it with `pip install --no-index`, so they need
no package index and every host of a federation runs byte-identical code.

    ansible/build-bundle.py --ref v0.2.0 --out dist/        # a tagged (or any committed) release
    ansible/build-bundle.py --worktree --out dist/          # the checkout as it is (tests, hotfixes)

Build it on a machine with the hosts' Python version and architecture (Debian 12: CPython 3.11,
x86_64); wheels of packages with compiled parts are platform specific. pip takes the packages
from its configured index (or PIP_INDEX_URL / PIP_FIND_LINKS) and reuses its cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WHEEL_NAME = re.compile(r"^(?P<name>[A-Za-z0-9_.]+)-(?P<version>[^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$")


def _git(*args: str, cwd: Path = REPO) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def _say(message: str) -> None:
    print(f"[build-bundle] {message}", file=sys.stderr, flush=True)


def export_source(ref: str | None, dest: Path) -> tuple[str, bool]:
    """Write the source tree of `ref` (None: the working tree) to `dest`; return (commit, dirty)."""
    dest.mkdir(parents=True)
    if ref is not None:
        try:
            commit = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        except subprocess.CalledProcessError:
            tags = _git("tag", "--list") or "none"
            raise SystemExit(f"build-bundle: --ref {ref} is not a commit, tag or branch of this repository "
                             f"(tags here: {' '.join(tags.split())}; a commit id or `main` works too)") from None
        archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO, check=True,
                                 capture_output=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(dest, filter="data")
        return commit, False
    commit = _git("rev-parse", "HEAD")
    dirty = bool(_git("status", "--porcelain", "--untracked-files=no"))
    files = _git("ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, files):
        src = REPO / name
        if src.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)
    return commit, dirty


def build(ref: str | None, out: Path, python: str) -> Path:
    """Build the bundle; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="hufu-bundle-") as tmp_name:
        tmp = Path(tmp_name)
        commit, dirty = export_source(ref, tmp / "src")
        _say(f"source: {ref or 'working tree'} = {commit[:12]}{' (with uncommitted changes)' if dirty else ''}")
        wheels = tmp / "bundle" / "wheels"
        wheels.mkdir(parents=True)
        pip = [python, "-m", "pip", "--disable-pip-version-check", "wheel", "--quiet", "--wheel-dir", str(wheels)]
        # wheels record file times: pin them to the commit's time so a rebuild gives the same bytes
        epoch = _git("show", "-s", "--format=%ct", commit)
        subprocess.run([*pip, "--no-deps", str(tmp / "src")], check=True, env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
        own = sorted(wheels.glob("hufu-*.whl"))
        if len(own) != 1:
            raise SystemExit(f"build-bundle: expected one hufu wheel, found {[p.name for p in own]}")
        _say(f"built {own[0].name}; collecting the dependencies as wheels")
        subprocess.run([*pip, str(own[0])], check=True)
        pins = []
        for wheel in sorted(wheels.glob("*.whl")):
            match = WHEEL_NAME.match(wheel.name)
            if not match:
                raise SystemExit(f"build-bundle: cannot read the name and version of {wheel.name}")
            pins.append(f"{match['name'].replace('_', '-').lower()}=={match['version']}")
        version = WHEEL_NAME.match(own[0].name)["version"]  # type: ignore[index]
        (tmp / "bundle" / "requirements.txt").write_text("\n".join(pins) + "\n", encoding="utf-8")
        release = {"version": version, "commit": commit, "dirty": dirty,
                   "built": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
                   "python": f"{sys.version_info.major}.{sys.version_info.minor}", "distributions": len(pins)}
        (tmp / "bundle" / "RELEASE").write_text(json.dumps(release, indent=2) + "\n", encoding="utf-8")
        name = f"hufu-{version}-{commit[:10]}{'-dirty' if dirty else ''}.tar"
        target = out / name
        partial = target.with_suffix(".tar.partial")
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            for path in sorted((tmp / "bundle").rglob("*")):
                info = tar.gettarinfo(str(path), arcname=str(path.relative_to(tmp / "bundle")))
                info.uid = info.gid = 0
                info.uname = info.gname = "root"
                info.mtime = 0  # the same inputs give the same bytes, so the same release id
                if path.is_file():
                    with path.open("rb") as fh:
                        tar.addfile(info, fh)
                else:
                    tar.addfile(info)
        os.replace(partial, target)
        _say(f"{target} ({target.stat().st_size // (1024 * 1024)} MiB, {len(pins)} distributions)")
        return target


def main() -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--ref", help="a git commit, tag or branch of this repository to build")
    source.add_argument("--worktree", action="store_true", help="build the checkout as it is, uncommitted changes too")
    parser.add_argument("--out", type=Path, required=True, help="directory the bundle is written to")
    parser.add_argument("--python", default=sys.executable, help="the Python whose pip builds the wheels")
    args = parser.parse_args()
    path = build(None if args.worktree else args.ref, args.out, args.python)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
