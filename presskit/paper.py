"""The paper sizes presskit prints on (--paper, presskit.yaml `paper:`), in one table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    """A paper size: its CSS @page size, its width and height as CSS lengths and in millimetres, and the
    bleed a press adds around it (3 mm on A4, 0.125 in on US letter)."""

    key: str  # the --paper value
    name: str  # as printed in messages
    size: str  # the CSS @page size keyword
    width: str
    height: str
    bleed: str
    width_mm: float
    height_mm: float

    @property
    def css_size(self) -> str:
        """'width height', as a catalogue trim size is written."""
        return f"{self.width} {self.height}"


PAPERS = {
    "a4": Paper("a4", "A4", "A4", "210mm", "297mm", "3mm", 210.0, 297.0),
    "letter": Paper("letter", "Letter", "letter", "8.5in", "11in", "0.125in", 215.9, 279.4),
}
