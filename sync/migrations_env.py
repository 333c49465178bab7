"""The body of both nodes' Alembic env.py: offline SQL or an online run on our engine settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import MetaData, pool

from sync.db import make_engine


def run(target_metadata: MetaData) -> None:
    """Run the migrations of the tree whose env.py calls this, against `target_metadata`."""
    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url is not set"
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=connection.dialect.name == "sqlite")
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
