"""Alembic environment of the national node."""

from national.models import Base
from sync.migrations_env import run

run(Base.metadata)
