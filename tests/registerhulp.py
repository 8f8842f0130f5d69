"""Messages for register tests and the benchmark: the samples with keys of one's own."""

from __future__ import annotations

from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# Per sample: its own Identificatie (and IdentificatieRetour) as they appear in the file.
BESTANDEN = {
    "JW301": "jw301_toewijzing.xml", "JW302": "jw302_retour_toewijzing.xml",
    "JW305": "jw305_start.xml", "JW306": "jw306_retour_start.xml",
    "JW307": "jw307_stop.xml", "JW308": "jw308_retour_stop.xml",
    "JW315": "jw315_verzoek_om_toewijzing.xml", "JW316": "jw316_retour_verzoek.xml",
    "JW317": "jw317_verzoek_om_wijziging.xml", "JW318": "jw318_retour_wijziging.xml",
    "JW319": "jw319_antwoord.xml", "JW320": "jw320_retour_antwoord.xml",
    "JW323": "jw323_declaratie.xml", "JW325": "jw325_declaratie_antwoord.xml",
}
IDENT = {"JW301": "T2026030201", "JW305": "S2026031001", "JW307": "E2026103001",
         "JW315": "V2026022501", "JW317": "W2026090101", "JW319": "A2026090301",
         "JW323": "D2026040201", "JW325": "DA2026040801"}
RETOUR_IDENT = {"JW302": "RT2026030201", "JW306": "RS2026031001", "JW308": "RE2026103001",
                "JW316": "RV2026022501", "JW318": "RW2026090101", "JW320": "RA2026090301"}
HEEN = {"JW302": "JW301", "JW306": "JW305", "JW308": "JW307", "JW316": "JW315",
        "JW318": "JW317", "JW320": "JW319", "JW325": "JW323"}
_cache: dict[str, bytes] = {}


def bsn(n: int) -> str:
    """The n-th valid BSN (11-proef) from 100000000 on; a different one for every n."""
    # Even prefixes for n; an odd one when the even one has no check digit: never shared.
    p = 10_000_000 + 2 * n
    for q in (p, p + 1):
        digits = [int(c) for c in f"{q:08d}"]
        c = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if c < 10:
            return f"{q:08d}{c}"
    raise AssertionError(n)


def bericht(code: str, ident: str | None = None, *, heen: str | None = None,
            bsn_: str | None = None, nummer: str | None = None, referentie: str | None = None,
            vervang: dict[str, str] | None = None) -> bytes:
    """The sample of ``code`` with its own Identificatie ``ident`` (of a retour: the heen's
    ``heen`` and ``ident`` for IdentificatieRetour), BSN, ToewijzingNummer, referentie."""
    if code not in _cache:
        _cache[code] = (SAMPLES / BESTANDEN[code]).read_bytes()
    data = _cache[code]
    paren: dict[str, str] = {}
    if code in RETOUR_IDENT:
        if ident:
            paren[RETOUR_IDENT[code]] = ident
        if heen:
            paren[IDENT[HEEN[code]]] = heen
    else:
        if ident:
            paren[IDENT[code]] = ident
        if heen and code == "JW325":
            paren[IDENT["JW323"]] = heen
    if bsn_:
        paren["999900018"] = bsn_
    if nummer:
        paren["700001"] = nummer
    if referentie:
        paren["VZ-2026-0042"] = referentie
        paren["VW-2026-0007"] = referentie
    paren.update(vervang or {})
    for oud, nieuw in paren.items():
        data = data.replace(f">{oud}<".encode(), f">{nieuw}<".encode())
    return data


def toewijzing(ident: str, *, bsn_: str, nummer: str, volume: int = 100, eenheid: str = "04",
               frequentie: str = "6", ingang: str = "2026-03-01", einde: str = "2027-02-28",
               referentie: str | None = None) -> bytes:
    """The JW301 sample for ``bsn_`` with ToewijzingNummer ``nummer`` and its own Omvang and
    period (a Frequentie 2 needs an Einddatum, CD076)."""
    data = bericht("JW301", ident, bsn_=bsn_, nummer=nummer, referentie=referentie)
    for oud, nieuw in (("ijw:Volume>100<", f"ijw:Volume>{volume}<"),
                       ("ijw:Eenheid>04<", f"ijw:Eenheid>{eenheid}<"),
                       ("ijw:Frequentie>6<", f"ijw:Frequentie>{frequentie}<"),
                       ("jw301:Ingangsdatum>2026-03-01<", f"jw301:Ingangsdatum>{ingang}<"),
                       ("jw301:Einddatum>2027-02-28<", f"jw301:Einddatum>{einde}<")):
        data = data.replace(oud.encode(), nieuw.encode())
    return data


def _prestatie(ns: str, p: dict, met_codes: list[str] | None = None) -> str:
    """One Prestatie: ``p`` has ref, nummer, begin, eind, volume; optional eenheid (04),
    tarief (cents, 7250), dc (D), vorig (VorigReferentieNummer)."""
    vorig = (f"\r\n\t\t\t\t\t\t\t<ijw:VorigReferentieNummer>{p['vorig']}"
             "</ijw:VorigReferentieNummer>") if p.get("vorig") else ""
    tarief = p.get("tarief", 7250)
    codes = "".join(f"\r\n\t\t\t\t\t\t\t<{ns}:RetourCode>{c}</{ns}:RetourCode>"
                    for c in met_codes or ())
    retour = (f"\r\n\t\t\t\t\t\t<{ns}:RetourCodes>{codes}\r\n\t\t\t\t\t\t</{ns}:RetourCodes>"
              if met_codes else "")
    return f"""
					<{ns}:Prestatie>
						<{ns}:ProductReferentie>
							<ijw:ReferentieNummer>{p['ref']}</ijw:ReferentieNummer>{vorig}
						</{ns}:ProductReferentie>
						<{ns}:ToewijzingNummer>{p['nummer']}</{ns}:ToewijzingNummer>
						<{ns}:ProductCategorie>45</{ns}:ProductCategorie>
						<{ns}:ProductCode>45A05</{ns}:ProductCode>
						<{ns}:ProductPeriode>
							<ijw:Begindatum>{p['begin']}</ijw:Begindatum>
							<ijw:Einddatum>{p['eind']}</ijw:Einddatum>
						</{ns}:ProductPeriode>
						<{ns}:GeleverdVolume>{p['volume']}</{ns}:GeleverdVolume>
						<{ns}:Eenheid>{p.get('eenheid', '04')}</{ns}:Eenheid>
						<{ns}:ProductTarief>{tarief}</{ns}:ProductTarief>
						<{ns}:IngediendBedrag>
							<ijw:Bedrag>{p['volume'] * tarief}</ijw:Bedrag>
							<ijw:DebetCredit>{p.get('dc', 'D')}</ijw:DebetCredit>
						</{ns}:IngediendBedrag>{retour}
					</{ns}:Prestatie>"""


def _totaal(prestaties: list[dict]) -> tuple[int, str]:
    som = sum(p["volume"] * p.get("tarief", 7250) * (-1 if p.get("dc") == "C" else 1)
              for p in prestaties)
    return abs(som), "C" if som < 0 else "D"


def _xml(tekst: str) -> bytes:
    # iStandaarden files: CR/LF line ends, every element on its own line.
    return tekst.strip("\n").replace("\r\n", "\n").replace("\n", "\r\n").encode() + b"\r\n"


def declaratie(ident: str, *, bsn_: str, prestaties: list[dict], nummer: str,
               begin: str = "2026-03-01", eind: str = "2026-03-31",
               dag: str = "2026-04-02") -> bytes:
    """A JW323 from aanbieder 12345678 to gemeente 0855: one client, these prestaties
    (see :func:`_prestatie`), DeclaratieNummer ``nummer`` over [begin, eind]."""
    bedrag, dc = _totaal(prestaties)
    regels = "".join(_prestatie("jw323", p) for p in prestaties)
    return _xml(f"""<?xml version="1.0" encoding="UTF-8"?>
<jw323:Bericht xmlns:jw323="http://www.istandaarden.nl/ijw/3_2/jw323/schema" xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema">
	<jw323:Header>
		<jw323:BerichtCode>490</jw323:BerichtCode>
		<jw323:BerichtVersie>3</jw323:BerichtVersie>
		<jw323:BerichtSubversie>2</jw323:BerichtSubversie>
		<jw323:Afzender>12345678</jw323:Afzender>
		<jw323:Ontvanger>0855</jw323:Ontvanger>
		<jw323:BerichtIdentificatie>
			<ijw:Identificatie>{ident}</ijw:Identificatie>
			<ijw:Dagtekening>{dag}</ijw:Dagtekening>
		</jw323:BerichtIdentificatie>
		<jw323:XsdVersie>
			<ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>
			<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie>
		</jw323:XsdVersie>
	</jw323:Header>
	<jw323:Declaratie>
		<jw323:DeclaratieNummer>{nummer}</jw323:DeclaratieNummer>
		<jw323:DeclaratiePeriode>
			<ijw:Begindatum>{begin}</ijw:Begindatum>
			<ijw:Einddatum>{eind}</ijw:Einddatum>
		</jw323:DeclaratiePeriode>
		<jw323:DeclaratieDagtekening>{dag}</jw323:DeclaratieDagtekening>
		<jw323:TotaalIngediendBedrag>
			<ijw:TotaalBedrag>{bedrag}</ijw:TotaalBedrag>
			<ijw:DebetCredit>{dc}</ijw:DebetCredit>
		</jw323:TotaalIngediendBedrag>
		<jw323:Clienten>
			<jw323:Client>
				<jw323:Bsn>{bsn_}</jw323:Bsn>
				<jw323:Prestaties>{regels}
				</jw323:Prestaties>
			</jw323:Client>
		</jw323:Clienten>
	</jw323:Declaratie>
</jw323:Bericht>
""")


def declaratie_antwoord(ident: str, *, heen: str, heen_dag: str = "2026-04-02", nummer: str,
                        bsn_: str, ingediend: list[dict],
                        afgewezen: list[tuple[dict, list[str]]] = (),  # type: ignore[assignment]
                        header: str = "0200", geheel: str = "0200",
                        dag: str = "2026-04-08") -> bytes:
    """A JW325 from gemeente 0855 on JW323 ``heen``: the ``afgewezen`` prestaties with their
    RetourCodes (TR342: only those), the totals from ``ingediend`` minus the refused ones;
    ``header``/``geheel``: the RetourCode of the message and of the declaratie as a whole."""
    bedrag, dc = _totaal(ingediend)
    weg = {p["ref"] for p, _ in afgewezen}
    toegekend, tdc = _totaal([p for p in ingediend if p["ref"] not in weg])
    if geheel != "0200" or header != "0200":
        toegekend, tdc = 0, "D"
    clienten = ""
    if afgewezen:
        regels = "".join(_prestatie("jw325", p, codes) for p, codes in afgewezen)
        clienten = f"""
		<jw325:Clienten>
			<jw325:Client>
				<jw325:Bsn>{bsn_}</jw325:Bsn>
				<jw325:Prestaties>{regels}
				</jw325:Prestaties>
				<jw325:RetourCodes>
					<jw325:RetourCode>0200</jw325:RetourCode>
				</jw325:RetourCodes>
			</jw325:Client>
		</jw325:Clienten>"""
    return _xml(f"""<?xml version="1.0" encoding="UTF-8"?>
<jw325:Bericht xmlns:jw325="http://www.istandaarden.nl/ijw/3_2/jw325/schema" xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema">
	<jw325:Header>
		<jw325:BerichtCode>491</jw325:BerichtCode>
		<jw325:BerichtVersie>3</jw325:BerichtVersie>
		<jw325:BerichtSubversie>2</jw325:BerichtSubversie>
		<jw325:Afzender>0855</jw325:Afzender>
		<jw325:Ontvanger>12345678</jw325:Ontvanger>
		<jw325:BerichtIdentificatie>
			<ijw:Identificatie>{ident}</ijw:Identificatie>
			<ijw:Dagtekening>{dag}</ijw:Dagtekening>
		</jw325:BerichtIdentificatie>
		<jw325:XsdVersie>
			<ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>
			<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie>
		</jw325:XsdVersie>
		<jw325:DeclaratieIdentificatie>
			<ijw:Identificatie>{heen}</ijw:Identificatie>
			<ijw:Dagtekening>{heen_dag}</ijw:Dagtekening>
		</jw325:DeclaratieIdentificatie>
		<jw325:XsdVersieDeclaratie>
			<ijw:BasisschemaXsdVersie>1.0.0</ijw:BasisschemaXsdVersie>
			<ijw:BerichtXsdVersie>1.0.0</ijw:BerichtXsdVersie>
		</jw325:XsdVersieDeclaratie>
		<jw325:RetourCodes>
			<jw325:RetourCode>{header}</jw325:RetourCode>
		</jw325:RetourCodes>
	</jw325:Header>
	<jw325:DeclaratieAntwoord>
		<jw325:DeclaratieNummer>{nummer}</jw325:DeclaratieNummer>
		<jw325:TotaalIngediendBedrag>
			<ijw:TotaalBedrag>{bedrag}</ijw:TotaalBedrag>
			<ijw:DebetCredit>{dc}</ijw:DebetCredit>
		</jw325:TotaalIngediendBedrag>
		<jw325:TotaalToegekendBedrag>
			<ijw:TotaalBedrag>{toegekend}</ijw:TotaalBedrag>
			<ijw:DebetCredit>{tdc}</ijw:DebetCredit>
		</jw325:TotaalToegekendBedrag>{clienten}
		<jw325:RetourCodes>
			<jw325:RetourCode>{geheel}</jw325:RetourCode>
		</jw325:RetourCodes>
	</jw325:DeclaratieAntwoord>
</jw325:Bericht>
""")
