"""When a user closed the first-week guide shown after the first sign-in.

Revision ID: ux18a1f2c3d4
Revises: se4rch000001
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "ux18a1f2c3d4"
down_revision = "se4rch000001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user") as batch_op:
        batch_op.add_column(sa.Column("first_week_guide_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("first_week_guide_seen_at")
