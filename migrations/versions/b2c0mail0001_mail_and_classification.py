"""outgoing email and indicator classification

Revision ID: b2c0mail0001
Revises: a66ea79f43fc
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2c0mail0001'
down_revision = 'a66ea79f43fc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outgoing_email',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('state', sa.Enum('pending', 'sent', 'failed', name='mailstate', native_enum=False, length=32), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['user.id'], name=op.f('fk_outgoing_email_recipient_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outgoing_email')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_outgoing_email_dedupe_key'))
    )
    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outgoing_email_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outgoing_email_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index('ix_outgoing_email_state_id', ['state', 'id'], unique=False)

    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('classification', sa.Enum('public', 'internal', 'confidential', name='classification', native_enum=False, length=32), server_default='internal', nullable=False))



def downgrade():
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_column('classification')

    with op.batch_alter_table('outgoing_email', schema=None) as batch_op:
        batch_op.drop_index('ix_outgoing_email_state_id')
        batch_op.drop_index(batch_op.f('ix_outgoing_email_recipient_id'))
        batch_op.drop_index(batch_op.f('ix_outgoing_email_created_at'))

    op.drop_table('outgoing_email')
