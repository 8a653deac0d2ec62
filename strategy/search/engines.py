"""The two full-text engines behind one interface: PostgreSQL's ``danish`` configuration and
SQLite's FTS5.

Both index the heading (weighted higher) and the body of every ``search_document`` row, and
answer the same three questions about a parsed query: which rows match (every word, the last
as a prefix, a -ning/-ing word also by its verb), which of them hold the exact phrase (ranked
first), and how well the rest match.

- PostgreSQL: a generated ``tsvector`` column (``to_tsvector('danish', ...)``, heading weight A,
  body B) with a GIN index; the database stems. ``ts_rank`` ranks, ``phraseto_tsquery``
  finds the phrase.
- SQLite: an FTS5 table whose rowid is the document's id and whose text is the words already
  stemmed in Python with the same Snowball algorithm (strategy.search.text), since FTS5 has no
  Danish stemmer. ``bm25`` ranks; an FTS5 phrase query finds the phrase. Stop words are
  removed before indexing, so a phrase around "i" or "og" matches as on PostgreSQL.

Neither structure is part of the models' metadata: they are created by the migration and,
for ``db.create_all()``, by the DDL hooks below, and ``include_object`` keeps them out of
Alembic's comparison of the models with the database.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from strategy.models import SearchDocument
from strategy.search.text import Query, stems_of

FTS_TABLE = "search_fts"
TSV_COLUMN = "tsv"
TSV_INDEX = "ix_search_document_tsv"

PG_CREATE = (
    f"ALTER TABLE search_document ADD COLUMN {TSV_COLUMN} tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('danish', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('danish', coalesce(body, '')), 'B')) STORED",
    f"CREATE INDEX {TSV_INDEX} ON search_document USING gin ({TSV_COLUMN})",
)
SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0')",
)
SQLITE_DROP = (f"DROP TABLE IF EXISTS {FTS_TABLE}",)

_fts = sa.table(FTS_TABLE, sa.column("rowid", sa.Integer), sa.column("title"), sa.column("body"))


def create_statements(dialect: str) -> tuple[str, ...]:
    return PG_CREATE if dialect == "postgresql" else SQLITE_CREATE


def drop_statements(dialect: str) -> tuple[str, ...]:
    # PostgreSQL's column and index go with the table.
    return () if dialect == "postgresql" else SQLITE_DROP


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: the engine's own search structures are not the models' business."""
    if type_ == "table" and name and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_")):
        return False
    if type_ == "column" and name == TSV_COLUMN and getattr(obj, "table", None) is not None \
            and obj.table.name == "search_document":
        return False
    if type_ == "index" and name == TSV_INDEX:
        return False
    return True


def _install_ddl_hooks() -> None:
    table = SearchDocument.__table__

    @sa.event.listens_for(table, "after_create")
    def _create(target, connection, **kw):
        for statement in create_statements(connection.dialect.name):
            connection.exec_driver_sql(statement)

    @sa.event.listens_for(table, "before_drop")
    def _drop(target, connection, **kw):
        for statement in drop_statements(connection.dialect.name):
            connection.exec_driver_sql(statement)


_install_ddl_hooks()


class Engine:
    """What differs between the databases. ``for_dialect`` picks one."""

    name = ""

    @staticmethod
    def for_dialect(dialect: str) -> Engine:
        return PostgresEngine() if dialect == "postgresql" else SqliteEngine()

    # --- reading --------------------------------------------------------------------------
    def matching(self, statement: sa.Select, query: Query) -> sa.Select:
        """``statement`` (FROM search_document) narrowed to the rows matching ``query``."""
        raise NotImplementedError

    def exact(self, query: Query):
        """A boolean column: the row holds the query as a phrase."""
        raise NotImplementedError

    def score(self, query: Query):
        """A column that orders better matches first when sorted ascending."""
        raise NotImplementedError

    # --- writing (the index is kept by strategy.search.index) ----------------------------------
    def removed(self, connection, document_ids: list[int]) -> None:
        """Documents deleted: drop their engine-side rows."""

    def added(self, connection, rows: list[tuple[int, str, str]]) -> None:
        """Documents inserted as (id, title, body): add their engine-side rows."""

    def cleared(self, connection) -> None:
        """Every document deleted."""


class PostgresEngine(Engine):
    """The generated column keeps itself current; only the queries differ."""

    name = "postgresql"
    _tsv = sa.literal_column(f"search_document.{TSV_COLUMN}", type_=postgresql.TSVECTOR)

    @staticmethod
    def _tsquery(query: Query):
        combined = None
        for term in query.terms:
            # Words are \w+ only (text.WORD): quoting makes each one lexeme, nothing else.
            main = sa.func.to_tsquery("danish", f"'{term.word}'" + (":*" if term.prefix else ""),
                                      type_=postgresql.TSQUERY)
            if term.derived:
                main = main.op("||")(sa.func.to_tsquery("simple", f"'{term.derived}'", type_=postgresql.TSQUERY))
            group = main.self_group()
            combined = group if combined is None else combined.op("&&")(group)
        return combined

    def matching(self, statement, query):
        return statement.where(self._tsv.op("@@")(self._tsquery(query)))

    def exact(self, query):
        return self._tsv.op("@@", return_type=sa.Boolean)(
            # The words as typed, stop words included: they keep their places in the phrase.
            sa.func.phraseto_tsquery("danish", query.text, type_=postgresql.TSQUERY)
        )

    def score(self, query):
        # ts_rank rather than ts_rank_cd: cover density costs a third more per row, for an order
        # the phrase tier above already settles where it matters.
        return -sa.func.ts_rank(self._tsv, self._tsquery(query))


class SqliteEngine(Engine):
    name = "sqlite"
    _match_column = sa.literal_column(FTS_TABLE)

    @staticmethod
    def _match(query: Query) -> str:
        groups = []
        for term in query.terms:
            main = f'"{term.stem}"' + ("*" if term.prefix else "")
            groups.append(f'({main} OR "{term.derived}")' if term.derived else main)
        return " AND ".join(groups)

    @staticmethod
    def _phrase(query: Query) -> str:
        return '"' + " ".join(query.phrase_stems) + '"'

    def matching(self, statement, query):
        return statement.join(_fts, _fts.c.rowid == SearchDocument.id).where(
            self._match_column.op("MATCH")(self._match(query))
        )

    def exact(self, query):
        phrase = sa.select(_fts.c.rowid).where(self._match_column.op("MATCH")(self._phrase(query)))
        return SearchDocument.id.in_(phrase)

    def score(self, query):
        # bm25 is lower for better matches; the heading counts four times the body.
        return sa.func.bm25(self._match_column, 4.0, 1.0)

    def removed(self, connection, document_ids):
        for start in range(0, len(document_ids), 500):
            connection.execute(sa.delete(_fts).where(_fts.c.rowid.in_(document_ids[start:start + 500])))

    def added(self, connection, rows):
        if rows:
            connection.execute(
                sa.insert(_fts),
                [{"rowid": i, "title": stems_of(title), "body": stems_of(body)} for i, title, body in rows],
            )

    def cleared(self, connection):
        connection.execute(sa.delete(_fts))
