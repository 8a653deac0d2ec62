"""Knowledge sharing: an initiative taken over from another school's strategy (Adoption)."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from strategy.models.base import Base, utcnow
from strategy.models.schools import School
from strategy.models.strategy import Initiative

if TYPE_CHECKING:
    from strategy.models.users import User


class Adoption(Base):
    """"Inspireret af …": the provenance of an initiative started from another school's practice
    (Fælles om Ledelse: beskriv viden og erfaring i kontekst → omsæt til egen kontekst).

    The source's title is kept as it was when it was adopted, so the provenance still reads
    right after the source is renamed or archived."""

    __tablename__ = "adoption"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(sa.ForeignKey("initiative.id", ondelete="CASCADE"), unique=True)
    source_initiative_id: Mapped[int] = mapped_column(
        sa.ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    source_school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    source_title: Mapped[str] = mapped_column(sa.String(300))
    adopted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    initiative: Mapped[Initiative] = relationship(foreign_keys=[initiative_id])
    source_initiative: Mapped[Initiative] = relationship(foreign_keys=[source_initiative_id])
    source_school: Mapped[School] = relationship()
    adopted_by: Mapped["User | None"] = relationship()
