"""Pages as PDF: one document for all messages, or one file per message.

The PDF is drawn with fpdf2, pure Python from PyPI (no system libraries), in the PDF core
font Helvetica, so nothing is embedded or looked up on the machine. fpdf2 is an optional
extra: ``pip install 'ijwcli[pdf]'``; without it :func:`document` raises
:class:`~ijwcli.errors.UsageError` naming that command.

>>> from ijwcli.toon.weergave import lees_bestand
>>> pdf = document([lees_bestand("samples/jw301_toewijzing.xml")])
>>> pdf[:5]
b'%PDF-'
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ijwcli.errors import UsageError
from ijwcli.toon.weergave import Blok, Pagina

PIP = "pip install 'ijwcli[pdf]'"
_ACCENT = (31, 78, 121)
_FOUT = (164, 22, 26)
_GOED = (43, 106, 48)
_GRIJS = (87, 96, 106)
_ZWART = (27, 31, 35)
_STREEP = {"client": (111, 66, 193), "product": (11, 114, 133), "kop": _ACCENT}


def _fpdf() -> Any:
    try:
        import fpdf
    except ImportError:
        raise UsageError(f"PDF vraagt de extra module fpdf2; installeer die met: {PIP}",
                         where="--pdf") from None
    return fpdf


def _tekst(s: str) -> str:
    # The core fonts speak Windows-1252 (€, ë, – are in it); anything else becomes '?'.
    return s.encode("cp1252", "replace").decode("cp1252")


class _Tekenaar:
    """Draws line by line with ``FPDF.text``: fpdf2's ``multi_cell`` measures every character
    through its text-shaping machinery (about 1 ms a call), too slow for a thousand pages;
    core-font widths are a table lookup, so the wrapping is done here."""

    LINKS, RECHTS, BOVEN, ONDER = 14.0, 196.0, 14.0, 283.0

    def __init__(self) -> None:
        fpdf = _fpdf()
        self.pdf = pdf = fpdf.FPDF(format="A4", unit="mm")
        pdf.core_fonts_encoding = "windows-1252"
        pdf.set_auto_page_break(False)
        pdf.set_creator("ijwcli toon")
        self.y = self.BOVEN
        self._stijl = ("", 0.0)
        self._breedtes: dict[tuple[str, str], float] = {}

    def font(self, stijl: str, grootte: float, rgb: tuple[int, int, int] = (27, 31, 35)) -> None:
        if self._stijl != (stijl, grootte):
            self.pdf.set_font("helvetica", stijl, grootte)
            self._stijl = (stijl, grootte)
        self.pdf.set_text_color(*rgb)

    def breedte(self, woord: str) -> float:
        sleutel = (self._stijl[0], woord)
        b = self._breedtes.get(sleutel)
        if b is None:
            # Measured at 1 pt and scaled: the cache holds each word once per style.
            b = self._breedtes[sleutel] = self.pdf.get_string_width(woord) / self._stijl[1]
        return b * self._stijl[1]

    def regels(self, tekst: str, breedte: float) -> list[str]:
        uit: list[str] = []
        spatie = self.breedte(" ")
        for alinea in _tekst(tekst).split("\n"):
            regel: list[str] = []
            lengte = 0.0
            for woord in alinea.split(" "):
                w = self.breedte(woord)
                while w > breedte and len(woord) > 1:  # a word wider than the column: cut
                    deel = woord
                    while len(deel) > 1 and self.breedte(deel) > breedte:
                        deel = deel[: max(1, len(deel) * 3 // 4)]
                    if regel:
                        uit.append(" ".join(regel))
                        regel, lengte = [], 0.0
                    uit.append(deel)
                    woord = woord[len(deel):]
                    w = self.breedte(woord)
                if regel and lengte + spatie + w > breedte:
                    uit.append(" ".join(regel))
                    regel, lengte = [], 0.0
                lengte += (spatie if regel else 0.0) + w
                regel.append(woord)
            uit.append(" ".join(regel))
        return uit

    def ruimte(self, hoogte: float) -> None:
        if self.y + hoogte > self.ONDER:
            self.nieuw()

    def nieuw(self) -> None:
        self.pdf.add_page()
        self._stijl = ("", 0.0)  # fpdf2 keeps the font across pages; set it again anyway
        self.y = self.BOVEN

    def schrijf(self, tekst: str, x: float, breedte: float, hoogte: float) -> float:
        """Wrapped text from the cursor down; returns the height used."""
        lijnen = self.regels(tekst, breedte)
        for lijn in lijnen:
            self.ruimte(hoogte)
            self.pdf.text(x, self.y + hoogte * 0.75, lijn)
            self.y += hoogte
        return hoogte * len(lijnen)

    def pagina(self, p: Pagina, kop: str | None = None) -> None:
        self.nieuw()
        breed = self.RECHTS - self.LINKS
        if kop:
            self.font("B", 9, _GRIJS)
            self.schrijf(kop, self.LINKS, breed, 5)
        self.font("B", 14, _ACCENT)
        self.schrijf(f"{p.titel}  ({'geldig' if p.geldig else 'ongeldig'})", self.LINKS, breed, 7)
        self.font("", 8, _GRIJS)
        ident = f" · identificatie {p.identificatie}" if p.identificatie else ""
        self.schrijf(p.bestand + ident, self.LINKS, breed, 4)
        self.y += 2
        if p.meldingen:
            self.font("B", 10, _FOUT)
            self.schrijf(f"Bevindingen ({len(p.meldingen)})", self.LINKS, breed, 5)
            for m in p.meldingen:
                waar = "".join((f" (retourcode {m.retourcode})" if m.retourcode else "",
                                f", regel {m.regelnummer}" if m.regelnummer else "",
                                f", {m.element}" if m.element else ""))
                soort = "waarschuwing: " if m.waarschuwing else ""
                self.font("", 8.5, _FOUT)
                self.schrijf(f"{m.regel}{waar}: {soort}{m.tekst}", self.LINKS, breed, 4.2)
            self.y += 2
        if p.kop:
            self.blok(p.kop, 0)
        for b in p.blokken:
            self.blok(b, 0)

    def blok(self, b: Blok, diepte: int) -> None:
        pdf = self.pdf
        x = self.LINKS + 4 * diepte
        breed = self.RECHTS - x
        self.ruimte(16)
        self.y += 1.5
        begin = self.y
        kleur = _STREEP.get(b.soort, _GRIJS)
        self.font("B", 10, kleur)
        self.schrijf(b.titel, x, breed, 5.5)
        kolommen = (breed * 0.3, breed * 0.3, breed * 0.4)
        for v in b.velden:
            self.ruimte(4.2)
            y0, pagina0 = self.y, pdf.page
            laagste, pagina_laagste = y0, pagina0
            links = x
            for (tekst, stijl, rgb), kolom in zip(((v.label, "", _GRIJS), (v.waarde, "B", _ZWART),
                                                   (v.betekenis, "", _ZWART)), kolommen,
                                                  strict=True):
                if pdf.page != pagina0:  # a long value ran onto the next page: back up
                    pdf.page = pagina0
                self.y = y0
                self.font(stijl, 8.5, rgb)
                self.schrijf(tekst, links, kolom - 1.5, 4.2)
                if (pdf.page, self.y) > (pagina_laagste, laagste):
                    pagina_laagste, laagste = pdf.page, self.y
                links += kolom
            pdf.page, self.y = pagina_laagste, laagste
        for r in b.retourcodes:
            self.font("B", 8.5, _GOED if r.goed else _FOUT)
            self.schrijf(f"RetourCode {r.code}: {r.betekenis}", x, breed, 4.5)
        if self.y > begin:  # the bar beside the block, on this page's part of it
            pdf.set_draw_color(*kleur)
            pdf.set_line_width(0.8)
            pdf.line(x - 2, begin, x - 2, self.y)
        for c in b.blokken:
            self.blok(c, diepte + 1)

    def bericht(self, p: Pagina) -> None:
        if p.heen is not None:
            self.pagina(p.heen, f"Heen-bericht bij {p.code} {p.identificatie or ''}")
            self.pagina(p, f"Retourbericht op {p.heen.code} {p.heen.identificatie or ''}")
        else:
            self.pagina(p)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def document(paginas: list[Pagina]) -> bytes:
    """One PDF: every message from a new page (a heen-bericht on the page before its
    retourbericht)."""
    t = _Tekenaar()
    for p in paginas:
        t.bericht(p)
    return t.bytes()


def bestanden(paginas: list[Pagina], doel: Path) -> list[tuple[Path, bytes]]:
    """``doel`` (.pdf) with all messages, or a folder with one PDF per message."""
    from ijwcli.toon.html import is_map

    if not is_map(doel, (".pdf",)):
        return [(doel, document(paginas))]
    return [(doel / f"{p.slug}.pdf", document([p])) for p in paginas]
