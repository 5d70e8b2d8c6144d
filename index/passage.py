"""The unit of retrieval: one numbered paragraph of a report, or one lettered item of it."""

from __future__ import annotations

from dataclasses import asdict, dataclass

HEADER_PARA = 0


@dataclass(frozen=True)
class Passage:
    """A numbered paragraph (or a lettered item of one) with where it sits in its report.

    Paragraph number 0 is the document's header (agenda item and titles): id ``SYMBOL#header``,
    cited as ``SYMBOL, header``.
    """

    doc: str
    para: int
    item: str | None
    section: str
    panel: int | None
    meetings: tuple[int, ...]
    text: str
    span: tuple[int, int]
    context: str = ""

    @property
    def id(self) -> str:
        """Stable id, e.g. ``A/CONF.222/L.3/Add.1#23(b)``."""
        if self.para == HEADER_PARA:
            return f"{self.doc}#header"
        return f"{self.doc}#{self.para}" + (f"({self.item})" if self.item else "")

    @property
    def label(self) -> str:
        """Short reference as written in an answer, e.g. ``para. 23 (b)``."""
        if self.para == HEADER_PARA:
            return "header"
        return f"para. {self.para}" + (f" ({self.item})" if self.item else "")

    @property
    def in_conclusions(self) -> bool:
        """Whether the passage is in the report's conclusions (their lead-in or an item)."""
        return self.section.lower() == "conclusions"

    @property
    def citation(self) -> str:
        """Full citation a delegate copies, e.g. ``A/CONF.222/L.3/Add.1, para. 23 (b)``."""
        return f"{self.doc}, {self.label}"

    def to_json(self) -> dict:
        """The passage as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Passage:
        """Inverse of :meth:`to_json`."""
        return cls(**{**data, "meetings": tuple(data["meetings"]), "span": tuple(data["span"])})
