"""audit guard

Revision ID: b3audit00002
Revises: b2c0mail0001
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3audit00002'
down_revision = 'b2c0mail0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guard_type', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('guard_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_audit_event_guard', ['guard_type', 'guard_id'], unique=False)

    # Events written before the guard existed: a note or meeting guards itself and its
    # agreements, a user their account. An agreement that is gone gets a guard no one passes.
    op.execute("UPDATE audit_event SET guard_type = object_type, guard_id = object_id "
               "WHERE object_type IN ('SparringNote', 'Meeting', 'User')")
    op.execute("UPDATE audit_event SET guard_type = 'SparringNote', guard_id = "
               "(SELECT note_id FROM agreement WHERE agreement.id = audit_event.object_id) "
               "WHERE object_type = 'Agreement' AND EXISTS (SELECT 1 FROM agreement "
               "WHERE agreement.id = audit_event.object_id AND agreement.note_id IS NOT NULL)")
    op.execute("UPDATE audit_event SET guard_type = 'Meeting', guard_id = "
               "(SELECT meeting_id FROM agreement WHERE agreement.id = audit_event.object_id) "
               "WHERE object_type = 'Agreement' AND guard_type IS NULL AND EXISTS (SELECT 1 FROM agreement "
               "WHERE agreement.id = audit_event.object_id AND agreement.meeting_id IS NOT NULL)")
    op.execute("UPDATE audit_event SET guard_type = 'SparringNote' "
               "WHERE object_type IN ('Agreement', 'AgendaItem') AND guard_type IS NULL")


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_guard')
        batch_op.drop_column('guard_id')
        batch_op.drop_column('guard_type')

