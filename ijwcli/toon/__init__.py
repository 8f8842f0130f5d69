"""Show messages as a person reads them: in the terminal, as printable HTML and as PDF.

Every one of the 14 iJw 3.2 message types becomes a :class:`~ijwcli.toon.weergave.Pagina`
(see :mod:`ijwcli.toon.weergave`): findings on top, the header with the gemeentenaam from the
CBS list, each client, each product or prestatie with every code beside its meaning, dates as
DD-MM-JJJJ, amounts in euros, periods with their length in months, and in a retourbericht
each RetourCode with its meaning at the class it judges. Three forms draw the same pages:

- :mod:`ijwcli.toon.terminal`: Rich renderables;
- :mod:`ijwcli.toon.html`: self-contained HTML from Jinja2 templates inside the package,
  one file for all messages or a folder with an index;
- :mod:`ijwcli.toon.pdf`: PDF with fpdf2 (the optional extra ``ijwcli[pdf]``).

>>> paginas = lees(["samples/jw301_toewijzing.xml", "samples/jw302_retour_toewijzing.xml"])
>>> [p.code for p in paginas], paginas[0].heen.code
(['JW302'], 'JW301')
>>> lees(["samples/jw305_start.xml"], masker=True)[0].blokken[0].velden[0].waarde
'9999*****'

A retourbericht is shown beside its heen-bericht when both are among the files, or when
``zoek`` finds it: :func:`uit_register` looks in the berichtenregister
(:mod:`ijwcli.register`). Nothing here touches the network (a PostgreSQL register is the
server the user configured).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ijwcli.toon.weergave import (
    Blok,
    Melding,
    Pagina,
    Retourcode,
    Veld,
    koppel,
    lees_bestand,
    lees_bytes,
    past_bij,
)

if TYPE_CHECKING:
    from ijwcli.register import Register

__all__ = ["Blok", "Melding", "Pagina", "Retourcode", "Veld", "koppel", "lees",
           "lees_bestand", "lees_bytes", "uit_register"]


def lees(paden: Iterable[str | os.PathLike[str]], today: dt.date | None = None,
         masker: bool = False, zoek: Callable[[Pagina], Pagina | None] | None = None
         ) -> list[Pagina]:
    """The pages of files and folders (every ``*.xml`` below a folder), in order, each
    retourbericht beside its heen-bericht where that is known."""
    from ijwcli.validatie import expand

    paginas = [lees_bestand(str(f), today, masker) for f in expand(paden)]
    for i, p in enumerate(paginas, 1):
        p.volgnummer = i
    return koppel(paginas, zoek)


def uit_register(reg: Register, today: dt.date | None = None, masker: bool = False
                 ) -> Callable[[Pagina], Pagina | None]:
    """A ``zoek`` for :func:`lees`: the heen-bericht of a retourbericht from the register
    (the latest one that matches, when it was received more than once)."""
    def zoek(p: Pagina) -> Pagina | None:
        if not p.inhoud or not p.heen_code:
            return None
        for e in reversed(reg.historie(p.inhoud)):
            if e.code != p.heen_code:
                continue
            h = lees_bytes(e.inhoud, f"register: {e.omschrijving}", today, masker)
            if past_bij(p, h):
                h.volgnummer = p.volgnummer
                return h
        return None

    return zoek
