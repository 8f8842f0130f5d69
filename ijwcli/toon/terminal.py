"""Pages in the terminal with Rich: findings on top, then header, clients and products.

Values come from the message as data, never as Rich markup: a name such as ``[bold]`` is
printed as it is written.

>>> from rich.console import Console
>>> from ijwcli.toon.weergave import lees_bestand
>>> c = Console(width=120, record=True, file=open("/dev/null", "w"))
>>> c.print(weergave(lees_bestand("samples/jw301_toewijzing.xml")))
>>> tekst = c.export_text()
>>> "Sanne van Dijk" in tekst and "Eenheid 04 = Uur" in tekst and "28-02-2027" in tekst
True
"""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ijwcli.toon.weergave import Blok, Pagina

_KLEUR = {"kop": "bold blue", "client": "bold magenta", "product": "bold cyan"}


def _blok(b: Blok) -> RenderableType:
    t = Table(title=Text(b.titel, style=_KLEUR.get(b.soort, "bold")), title_justify="left",
              show_header=False, box=box.SIMPLE, padding=(0, 1), expand=False,
              show_edge=False)
    t.add_column("veld", style="dim", no_wrap=True)
    t.add_column("waarde", style="bold")
    t.add_column("betekenis")
    for v in b.velden:
        t.add_row(v.label, v.waarde, v.betekenis)
    delen: list[RenderableType] = [t]
    for r in b.retourcodes:
        delen.append(Text(f"RetourCode {r.code}: {r.betekenis}",
                          style="green" if r.goed else "bold red"))
    delen.extend(Padding(_blok(c), (0, 0, 0, 3)) for c in b.blokken)
    return Group(*delen)


def _inhoud(p: Pagina) -> RenderableType:
    kop = Text(p.titel, style="bold")
    kop.append("  geldig" if p.geldig else "  ongeldig", style="green" if p.geldig else "bold red")
    delen: list[RenderableType] = [kop, Text(p.bestand + (f" · identificatie {p.identificatie}"
                                                          if p.identificatie else ""),
                                             style="dim")]
    if p.meldingen:
        regels = Text()
        for i, m in enumerate(p.meldingen):
            waar = "".join((f" (retourcode {m.retourcode})" if m.retourcode else "",
                            f", regel {m.regelnummer}" if m.regelnummer else "",
                            f", {m.element}" if m.element else ""))
            if i:
                regels.append("\n")
            regels.append(m.regel + waar + ": ", style="bold")
            regels.append(("waarschuwing: " if m.waarschuwing else "") + m.tekst,
                          style="yellow" if m.waarschuwing else "red")
        delen.append(Panel(regels, title=f"Bevindingen ({len(p.meldingen)})",
                           title_align="left", border_style="red"))
    if p.kop:
        delen.append(_blok(p.kop))
    delen.extend(_blok(b) for b in p.blokken)
    return Group(*delen)


def weergave(p: Pagina, naast_elkaar: bool = True) -> RenderableType:
    """One message as a Rich renderable; a retourbericht beside its heen-bericht (or under
    it, without ``naast_elkaar``: a narrow terminal has no room for two columns)."""
    if p.heen is None:
        return Panel(_inhoud(p), box=box.ROUNDED, border_style="blue", expand=True)
    if not naast_elkaar:
        return Group(Panel(_inhoud(p.heen), title="heen-bericht", border_style="blue"),
                     Panel(_inhoud(p), title="retourbericht", border_style="blue"))
    naast = Table.grid(expand=True, padding=(0, 2))
    naast.add_column(ratio=1)
    naast.add_column(ratio=1)
    naast.add_row(Panel(_inhoud(p.heen), title="heen-bericht", border_style="blue"),
                  Panel(_inhoud(p), title="retourbericht", border_style="blue"))
    return naast
