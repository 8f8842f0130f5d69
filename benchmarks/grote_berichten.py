"""Large declaraties (JW323) for the speed and memory benchmarks: many clients, or many
prestaties under one client, valid against the schema and every rule.

>>> data = declaratie(2, 3)
>>> data.count(b"<jw323:Prestatie>"), data.count(b"<jw323:Client>")
(6, 2)
"""

from __future__ import annotations

from collections.abc import Iterator

_KOP = """<?xml version="1.0" encoding="UTF-8"?>
<jw323:Bericht xmlns:jw323="http://www.istandaarden.nl/ijw/3_2/jw323/schema" \
xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema">
\t<jw323:Header>
\t\t<jw323:BerichtCode>490</jw323:BerichtCode>
\t\t<jw323:BerichtVersie>3</jw323:BerichtVersie>
\t\t<jw323:BerichtSubversie>2</jw323:BerichtSubversie>
\t\t<jw323:Afzender>12345678</jw323:Afzender>
\t\t<jw323:Ontvanger>0855</jw323:Ontvanger>
\t\t<jw323:BerichtIdentificatie>
\t\t\t<ijw:Identificatie>D2026040201</ijw:Identificatie>
\t\t\t<ijw:Dagtekening>2026-04-02</ijw:Dagtekening>
\t\t</jw323:BerichtIdentificatie>
\t\t<jw323:XsdVersie>
\t\t\t<ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>
\t\t\t<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie>
\t\t</jw323:XsdVersie>
\t</jw323:Header>
\t<jw323:Declaratie>
\t\t<jw323:DeclaratieNummer>DEC202603</jw323:DeclaratieNummer>
\t\t<jw323:DeclaratiePeriode>
\t\t\t<ijw:Begindatum>2026-03-01</ijw:Begindatum>
\t\t\t<ijw:Einddatum>2026-03-31</ijw:Einddatum>
\t\t</jw323:DeclaratiePeriode>
\t\t<jw323:DeclaratieDagtekening>2026-04-02</jw323:DeclaratieDagtekening>
\t\t<jw323:TotaalIngediendBedrag>
\t\t\t<ijw:TotaalBedrag>{totaal}</ijw:TotaalBedrag>
\t\t\t<ijw:DebetCredit>D</ijw:DebetCredit>
\t\t</jw323:TotaalIngediendBedrag>
\t\t<jw323:Clienten>
"""
_CLIENT = ("\t\t\t<jw323:Client>\n\t\t\t\t<jw323:Bsn>{bsn}</jw323:Bsn>\n"
           "\t\t\t\t<jw323:Prestaties>\n")
_EINDE_CLIENT = "\t\t\t\t</jw323:Prestaties>\n\t\t\t</jw323:Client>\n"
_PRESTATIE = """\t\t\t\t\t<jw323:Prestatie>
\t\t\t\t\t\t<jw323:ProductReferentie>
\t\t\t\t\t\t\t<ijw:ReferentieNummer>PR-{ref:09d}</ijw:ReferentieNummer>
\t\t\t\t\t\t</jw323:ProductReferentie>
\t\t\t\t\t\t<jw323:ToewijzingNummer>{toewijzing}</jw323:ToewijzingNummer>
\t\t\t\t\t\t<jw323:ProductCategorie>45</jw323:ProductCategorie>
\t\t\t\t\t\t<jw323:ProductCode>{code}</jw323:ProductCode>
\t\t\t\t\t\t<jw323:ProductPeriode>
\t\t\t\t\t\t\t<ijw:Begindatum>2026-03-{begin:02d}</ijw:Begindatum>
\t\t\t\t\t\t\t<ijw:Einddatum>2026-03-{einde:02d}</ijw:Einddatum>
\t\t\t\t\t\t</jw323:ProductPeriode>
\t\t\t\t\t\t<jw323:GeleverdVolume>{volume}</jw323:GeleverdVolume>
\t\t\t\t\t\t<jw323:Eenheid>04</jw323:Eenheid>
\t\t\t\t\t\t<jw323:ProductTarief>7250</jw323:ProductTarief>
\t\t\t\t\t\t<jw323:IngediendBedrag>
\t\t\t\t\t\t\t<ijw:Bedrag>{bedrag}</ijw:Bedrag>
\t\t\t\t\t\t\t<ijw:DebetCredit>D</ijw:DebetCredit>
\t\t\t\t\t\t</jw323:IngediendBedrag>
\t\t\t\t\t</jw323:Prestatie>
"""
_STAART = "\t\t</jw323:Clienten>\n\t</jw323:Declaratie>\n</jw323:Bericht>\n"


def bsns() -> Iterator[str]:
    """Distinct nine-digit numbers that pass the 11-proef, in order (one per client: TR101
    keys clients by BSN).

    >>> b = bsns(); next(b), next(b)
    ('100000009', '100000010')
    """
    for i in range(10000000, 100000000):
        cijfers = map(int, f"{i:08d}")
        rest = sum(w * c for w, c in zip((9, 8, 7, 6, 5, 4, 3, 2), cijfers, strict=True)) % 11
        if rest < 10:
            yield f"{i:08d}{rest}"


def declaratie(clienten: int, per_client: int) -> bytes:
    """A valid JW323: ``clienten`` clients with ``per_client`` prestaties each.

    Each client has one toewijzing, declared per week (four periods in March) and per
    product: the lines differ in period or product code, as a real monthly declaratie.
    """
    delen: list[str] = []
    totaal = ref = 0
    nummers = bsns()
    for c in range(clienten):
        delen.append(_CLIENT.format(bsn=next(nummers)))
        for j in range(per_client):
            week = j % 4
            volume = 1 + (ref % 9)
            bedrag = volume * 7250
            totaal += bedrag
            delen.append(_PRESTATIE.format(
                ref=ref, toewijzing=700000 + c, code=f"{(j // 4) % 100000:05d}", begin=1 + 7 * week,
                einde=7 + 7 * week, volume=volume, bedrag=bedrag))
            ref += 1
        delen.append(_EINDE_CLIENT)
    tekst = _KOP.format(totaal=totaal) + "".join(delen) + _STAART
    return tekst.replace("\n", "\r\n").encode("utf-8")
