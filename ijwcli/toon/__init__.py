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
``zoek`` (the register) finds it. Nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable

from ijwcli.toon.weergave import (
    Blok,
    Melding,
    Pagina,
    Retourcode,
    Veld,
    koppel,
    lees_bestand,
    lees_bytes,
)

__all__ = ["Blok", "Melding", "Pagina", "Retourcode", "Veld", "koppel", "lees",
           "lees_bestand", "lees_bytes"]


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
