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
