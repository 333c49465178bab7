"""What every `hufu regional …` command module needs: the node's settings, its database, the acting operator.

The clock is sync.cli.now (it lives in the CLI, never in the core)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from sync.cli import now

if TYPE_CHECKING:
    from regional.actors import Actor
    from regional.config import RegionalConfig
    from sync.db import Database

__all__ = ["actor", "config", "db", "now"]


def config(args: argparse.Namespace) -> RegionalConfig:
    """The settings of the node whose --data-dir was given (an error naming it when there is none)."""
    from regional.config import RegionalConfig

    return RegionalConfig.load(args.data_dir, must_exist=True)


def db(settings: RegionalConfig) -> Database:
    """The node's database."""
    from sync.db import Database

    return Database(settings.db_url)


def actor(args: argparse.Namespace) -> Actor:
    """The operator running the command, audited as cli:NAME (--actor)."""
    from regional.actors import Actor

    return Actor.system(f"cli:{args.actor}")
