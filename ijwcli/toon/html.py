"""Pages as self-contained, printable HTML: one file for all messages, or a folder.

The templates are Jinja2 files inside the package (``ijwcli/toon/sjablonen``); the style
sheet is copied into every page, so a page needs nothing else: no web fonts, no images, no
scripts, nothing fetched. Print CSS puts each message on its own sheet.

>>> from ijwcli.toon.weergave import lees_bestand
>>> html = document([lees_bestand("samples/jw301_toewijzing.xml")])
>>> "Sanne van Dijk" in html and "Totaal binnen geldigheidsduur toewijzing" in html
True
>>> "<script" in html or "http" in html.replace("http-equiv", "")
False
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ijwcli.pakketdata import pakketbestand
from ijwcli.toon.weergave import Pagina

if TYPE_CHECKING:
    import jinja2


@cache
def _omgeving() -> jinja2.Environment:
    import jinja2  # lazily: only pages need it, not `ijwcli validate`

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(pakketbestand("ijwcli.toon", "sjablonen")),
        autoescape=True, trim_blocks=False, lstrip_blocks=False,
        undefined=jinja2.StrictUndefined)


def _titel(paginas: list[Pagina]) -> str:
    if len(paginas) == 1:
        return f"{paginas[0].titel} {paginas[0].identificatie or ''}".strip()
    return f"{len(paginas)} iJw-berichten"


def document(paginas: list[Pagina], terug: bool = False) -> str:
    """One HTML document holding every page, each on its own sheet when printed."""
    return _omgeving().get_template("document.html.j2").render(
        paginas=paginas, titel=_titel(paginas), terug=terug)


def index(items: list[tuple[str, Pagina]]) -> str:
    """The overview of a folder of pages: (link, page) per message."""
    return _omgeving().get_template("index.html.j2").render(
        items=items, titel="Overzicht iJw-berichten",
        ongeldig=sum(not p.geldig for _, p in items))


def is_map(doel: Path, achtervoegsels: tuple[str, ...]) -> bool:
    """A target without one of ``achtervoegsels`` is a folder of pages (existing or not)."""
    return doel.is_dir() or doel.suffix.lower() not in achtervoegsels


def bestanden(paginas: list[Pagina], doel: Path) -> list[tuple[Path, bytes]]:
    """The files to write: ``doel`` (.html) with all pages, or a folder with ``index.html``
    and one page per message."""
    if not is_map(doel, (".html", ".htm")):
        return [(doel, document(paginas).encode("utf-8"))]
    uit = [(doel / f"{p.slug}.html", document([p], terug=True).encode("utf-8"))
           for p in paginas]
    items = [(f"{p.slug}.html", p) for p in paginas]
    return [(doel / "index.html", index(items).encode("utf-8")), *uit]
