"""Rules on every message type: Identificatie unique per sender (TR056), the Bsn of the
client a product line or prestatie belongs to (TR304)."""

from __future__ import annotations

from collections.abc import Iterator

from ijwcli.validatie.overstijgend import Beoordeling, regel
from ijwcli.validatie.overstijgend.declaraties import bsn_bevindingen
from ijwcli.validatie.overstijgend.verkeer import LIJST, kinderen, plat
from ijwcli.validatie.regels import Bevinding


@regel("TR056")
def identificatie_uniek(b: Beoordeling) -> Iterator[Bevinding]:
    eerder = b.verkeer.identificaties.get((b.code, b.afzender, b.identificatie))
    if eerder is not None:
        el = kinderen(b.root, "Header", "BerichtIdentificatie", "Identificatie")
        yield b.bevinding("TR056", el[0] if el else None,
                          f"Identificatie {b.identificatie} is al gebruikt voor een ander "
                          f"{b.code}-bericht van {b.afzender}", eerder)


@regel("TR304")
def bsn_van_client(b: Beoordeling) -> Iterator[Bevinding]:
    if b.code != "JW317":
        yield from bsn_bevindingen(b)
        return
    for client in kinderen(b.root, "Client"):
        bsn = plat(client, diepte=1).get("Bsn", "")
        for klasse in ("OngewijzigdProduct", "TeWijzigenProduct"):
            for p in kinderen(client, "Verzoek", LIJST[klasse], klasse):
                nummer = plat(p, diepte=1).get("ToewijzingNummer", "")
                t = b.verkeer.toewijzing(b.ontvanger, nummer)
                if t is not None and t.bsn != bsn:
                    yield b.bevinding("TR304", p, f"toewijzing {nummer} hoort bij Bsn {t.bsn}, "
                                      f"niet bij {bsn}", t.bericht)
