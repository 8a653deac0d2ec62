"""search index (search_document with the engine's full-text structure) and adoptions

The full-text structure is the engine's own and not in the models' metadata (see
strategy/search/engines.py, whose statements these are, copied: migrations import no app code).
The index starts empty: `flask seed` (run by `make run`) builds it when it is empty, and
`flask search-index` rebuilds it at any time.

Revision ID: se4rch000001
Revises: data0001
Create Date: 2026-12-04 01:38:07.911318

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'se4rch000001'
down_revision = 'data0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=True),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('initiative_id', sa.Integer(), nullable=True),
    sa.Column('level_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=True),
    sa.Column('conclusion', sa.String(length=32), nullable=True),
    sa.Column('dated', sa.Date(), nullable=True),
    sa.Column('ref', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_document')),
    sa.UniqueConstraint('kind', 'object_id', name=op.f('uq_search_document_kind_object_id'))
    )
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_document_school_id'), ['school_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE search_document ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('danish', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('danish', coalesce(body, '')), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_search_document_tsv ON search_document USING gin (tsv)")
    else:
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')")

    op.create_table('adoption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('source_initiative_id', sa.Integer(), nullable=False),
    sa.Column('source_school_id', sa.Integer(), nullable=False),
    sa.Column('source_title', sa.String(length=300), nullable=False),
    sa.Column('adopted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['adopted_by_id'], ['user.id'], name=op.f('fk_adoption_adopted_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], name=op.f('fk_adoption_initiative_id_initiative'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_initiative_id'], ['initiative.id'], name=op.f('fk_adoption_source_initiative_id_initiative'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_school_id'], ['school.id'], name=op.f('fk_adoption_source_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adoption')),
    sa.UniqueConstraint('initiative_id', name=op.f('uq_adoption_initiative_id'))
    )
    with op.batch_alter_table('adoption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adoption_source_initiative_id'), ['source_initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adoption_source_school_id'), ['source_school_id'], unique=False)


def downgrade():
    with op.batch_alter_table('adoption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adoption_source_school_id'))
        batch_op.drop_index(batch_op.f('ix_adoption_source_initiative_id'))

    op.drop_table('adoption')
    with op.batch_alter_table('search_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_document_school_id'))

    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table('search_document')
