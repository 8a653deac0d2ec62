"""Schools, the clusters they cooperate in, and the directorate's watchlist."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, utcnow

if TYPE_CHECKING:
    from strategy.models.users import User


class Cluster(Base):
    __tablename__ = "cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    is_demo: Mapped[bool] = mapped_column(default=False)

    schools: Mapped[list["School"]] = relationship(back_populates="cluster", order_by="School.name")

    def __repr__(self) -> str:
        return f"<Cluster {self.name}>"


class School(Base):
    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    # The ministry's six-digit institutionsnummer: how imported files name the school.
    institution_number: Mapped[str | None] = mapped_column(sa.String(6), unique=True)
    cluster_id: Mapped[int | None] = mapped_column(sa.ForeignKey("cluster.id"), index=True)
    is_demo: Mapped[bool] = mapped_column(default=False)

    cluster: Mapped[Cluster | None] = relationship(back_populates="schools")

    def __repr__(self) -> str:
        return f"<School {self.name}>"


class WatchlistEntry(Base):
    """A school the directorate keeps an eye on, and why. Removing it keeps the record."""

    __tablename__ = "watchlist_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))

    school: Mapped[School] = relationship()
    created_by: Mapped["User | None"] = relationship(foreign_keys=[created_by_id])
