"""Regenerate the Python stubs for protos/ with the pinned grpcio-tools.

Usage: python protos/generate.py [--out DIR]   (default: the repository root)

The proto package path equals the Python package path (protos/sync/v1/*.proto,
`package sync.v1;`), so the generated imports need no rewriting.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROTO_DIR = ROOT / "protos"


def proto_files() -> list[Path]:
    """Every .proto file under protos/, sorted."""
    return sorted(PROTO_DIR.rglob("*.proto"))


def generate(out: Path) -> None:
    """Run protoc (from grpcio-tools) for every proto file into `out`."""
    import grpc_tools
    from grpc_tools import protoc  # a dev dependency, imported only here

    include = Path(grpc_tools.__file__).parent / "_proto"
    for proto in proto_files():
        rel = proto.relative_to(PROTO_DIR)
        (out / rel.parent).mkdir(parents=True, exist_ok=True)
        args = [
            "protoc",
            f"-I{PROTO_DIR}",
            f"-I{include}",
            f"--python_out={out}",
            f"--pyi_out={out}",
            f"--grpc_python_out={out}",
            str(rel),
        ]
        if protoc.main(args) != 0:
            raise SystemExit(f"protoc failed for {rel}")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT)
    args = parser.parse_args()
    generate(args.out)
    print(f"generated stubs for {len(proto_files())} proto file(s) into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
