"""Pages in the terminal with Rich: findings on top, then header, clients and products.

Values come from the message as data, never as Rich markup: a name such as ``[bold]`` is
printed as it is written.

>>> from rich.console import Console
>>> from ijwcli.toon.weergave import lees_bestand
>>> c = Console(width=120, record=True, file=open("/dev/null", "w"))
>>> c.print(weergave(lees_bestand("samples/jw301_toewijzing.xml"), 120))
>>> tekst = c.export_text()
>>> "Sanne van Dijk" in tekst and "Eenheid 04 = Uur" in tekst and "28-02-2027" in tekst
True
"""

from __future__ import annotations

import textwrap

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ijwcli.toon.weergave import Blok, Pagina

_KLEUR = {"kop": "bold blue", "client": "bold magenta", "product": "bold cyan"}


def _blokken(b: Blok, diepte: int, breedte: int, uit: Text) -> None:
    # Columns laid out here, one Text for the whole message: a Rich Table per block measures
    # every cell twice, and a thousand messages in the terminal should stay well within 10 s.
    inspring = " " * (1 + 3 * diepte)
    uit.append(f"{inspring}{b.titel}\n", style=_KLEUR.get(b.soort, "bold"))
    rijen = [(v.label, v.waarde, v.betekenis, "") for v in b.velden]
    rijen += [("RetourCode", r.code, r.betekenis, "green" if r.goed else "bold red")
              for r in b.retourcodes]
    if not rijen:
        return
    ruimte = max(20, breedte - len(inspring) - 1)
    lw = min(max(len(r[0]) for r in rijen), ruimte // 3)
    ww = min(max(len(r[1]) for r in rijen), max(8, (ruimte - lw - 4) // 2))
    bw = max(8, ruimte - lw - ww - 4)
    for label, waarde, betekenis, stijl in rijen:
        ws = _breek(waarde, ww)
        bs = _breek(betekenis, bw)
        for i in range(max(len(ws), len(bs))):
            uit.append(f"{inspring} {(label if i == 0 else '')[:lw]:<{lw}}  ", style="dim")
            w = ws[i] if i < len(ws) else ""
            rest = bs[i] if i < len(bs) else ""
            uit.append(f"{w:<{ww}}  " if rest else w, style="bold")
            uit.append(f"{rest}\n", style=stijl)
    for c in b.blokken:
        _blokken(c, diepte + 1, breedte, uit)


def _breek(tekst: str, breedte: int) -> list[str]:
    if len(tekst) <= breedte:
        return [tekst]
    return textwrap.wrap(tekst, breedte, break_long_words=True, break_on_hyphens=False) or [""]


def _inhoud(p: Pagina, breedte: int) -> RenderableType:
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
    tekst = Text(no_wrap=True, overflow="fold")
    for b in ([p.kop] if p.kop else []) + p.blokken:
        _blokken(b, 0, breedte, tekst)
    tekst.rstrip()
    delen.append(tekst)
    return Group(*delen)


def weergave(p: Pagina, breedte: int = 100) -> RenderableType:
    """One message as a Rich renderable ``breedte`` columns wide; a retourbericht beside its
    heen-bericht (under it below 150 columns: too narrow for two)."""
    if p.heen is None:
        return Group(Rule(style="blue"), _inhoud(p, breedte))
    if breedte < 150:
        return Group(Rule("heen-bericht", style="blue"), _inhoud(p.heen, breedte),
                     Rule("retourbericht", style="blue"), _inhoud(p, breedte))
    half = (breedte - 6) // 2 - 4
    naast = Table.grid(expand=True, padding=(0, 2))
    naast.add_column(ratio=1)
    naast.add_column(ratio=1)
    naast.add_row(Panel(_inhoud(p.heen, half), title="heen-bericht", border_style="blue"),
                  Panel(_inhoud(p, half), title="retourbericht", border_style="blue"))
    return naast
