"""Alembic environment of the regional node."""

from regional.models import Base
from sync.migrations_env import run

run(Base.metadata)
