"""The earlier traffic a message is judged against by the cross-message rules.

The rules across messages (``berichtoverstijgend``) need what came before: the JW301s a
gemeente sent, the starts and stops it received, earlier declaraties. The validation layer
does not know where that history is kept. It receives it as a sequence of
:class:`EerderBericht`, oldest first; the register (:mod:`ijwcli.register`) supplies it for a
team, and a caller can build one from files:

>>> from pathlib import Path
>>> e = EerderBericht.uit_bytes(Path("samples/jw301_toewijzing.xml").read_bytes(), "uit")
>>> e.code, e.richting, e.dagtekening.isoformat()
('JW301', 'uit', '2026-03-02')
>>> e.tree.getroot().tag.endswith("Bericht")
True
>>> e.omschrijving
'JW301 T2026030201 van 2026-03-02'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from lxml import etree

Richting = Literal["in", "uit"]


@dataclass
class EerderBericht:
    """One message of the history: its type, identity, direction and raw bytes."""

    code: str                       # "JW301" …
    identificatie: str              # BerichtIdentificatie; of a retourbericht IdentificatieRetour
    afzender: str
    ontvanger: str
    dagtekening: dt.date
    richting: Richting              # seen from the own organisation: "uit" sent, "in" received
    inhoud: bytes = field(repr=False)
    geldig: bool = True             # an invalid message is remembered but changes no state
    sleutel: str | None = None      # the register's own id, when it came from a register

    @cached_property
    def tree(self) -> etree._ElementTree:
        from ijwcli.bericht import read_tree

        return read_tree(self.inhoud)

    @property
    def omschrijving(self) -> str:
        """How a finding names this message: type, Identificatie and Dagtekening."""
        return f"{self.code} {self.identificatie} van {self.dagtekening.isoformat()}"

    @classmethod
    def uit_bytes(cls, inhoud: bytes, richting: Richting, geldig: bool = True) -> EerderBericht:
        from ijwcli.bericht import definitie_van, read_tree

        tree = read_tree(inhoud)
        code = definitie_van(tree).code
        root = tree.getroot()

        def waarde(pad: str) -> str:
            el = root.find(pad.replace("/", "/{*}").join(["{*}", ""]))
            return (el.text or "").strip() if el is not None else ""

        ident = (waarde("Header/IdentificatieRetour")
                 or waarde("Header/BerichtIdentificatie/Identificatie"))
        datum = (waarde("Header/DagtekeningRetour")
                 or waarde("Header/BerichtIdentificatie/Dagtekening"))
        e = cls(code, ident, waarde("Header/Afzender"), waarde("Header/Ontvanger"),
                dt.date.fromisoformat(datum), richting, inhoud, geldig)
        e.__dict__["tree"] = tree
        return e
