"""regional: each listing photo's perceptual hashes, made once at import (issue 12, detection end to end)

`listings.image_hashes` holds, aligned with `images`, the photo's dHash and pHash as 32 hex digits (or null for
a photo that could not be read at import, e.g. a remote URL); null for listings imported before this revision.
The design model uses a stored hash instead of decoding and resizing the photo at every screening.

Revision ID: r_image_hashes
Revises: r_dash_speed
Create Date: 2026-12-01 17:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "r_image_hashes"
down_revision = "r_dash_speed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add listings.image_hashes."""
    with op.batch_alter_table("listings") as batch:
        batch.add_column(sa.Column("image_hashes", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop it again."""
    with op.batch_alter_table("listings") as batch:
        batch.drop_column("image_hashes")
