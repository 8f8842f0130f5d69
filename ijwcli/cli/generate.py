"""``ijwcli generate jw301|jw307|jw319|jw325``: toewijzingen, stopberichten and the gemeente's
answers (antwoordbericht, declaratie-antwoord) from messages, outcomes and rows.

JW301 and JW307: where the values come from (the library does the work, this module only
gathers the sources): ``--waarde``, then the data row, then the register (``--db``,
``IJWCLI_DB`` or ``db`` in ``ijwcli.toml``; ``--geen-register`` to work without), then the
configuration's ``[waarden]`` and ``code``. Every missing placeholder value is reported in one
run: exit 2 with ``--from`` (a missing ``--waarde``, like a missing option), exit 1 with
``--data`` (an empty cell, like every other bad cell of the sheet). With a register the
ToewijzingNummers come from its sequence and every message written is recorded in it as sent.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ijwcli.cli import (
    ConfigOption,
    DbOption,
    FormatOption,
    TodayOption,
    app,
    console,
    emit_json,
    handle_errors,
    parse_date,
)
from ijwcli.cli.snelstart import Groep
from ijwcli.errors import UsageError

if TYPE_CHECKING:
    from ijwcli.bericht import Bericht

# cls=Groep: its subcommands, too, convert their values without Pydantic (snelstart).
generate_app = typer.Typer(
    name="generate", cls=Groep, no_args_is_help=True,
    help="Maak JW301 (toewijzing) en JW307 (stop zorg) uit berichten, uitkomsten of datarijen; "
    "JW319 (antwoord op een verzoek) en JW325 (declaratie-antwoord) tegen het register.")
app.add_typer(generate_app, name="generate")

_D = "JJJJ-MM-DD"
OutputOption = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="PAD",
    help="Uitvoerbestand (--from; '-' = stdout) of uitvoermap (--data). Standaard: de huidige "
    "map, bestandsnaam <JWnnn>_<BerichtCode>_<Identificatie>.xml.")]
TemplateOption = Annotated[Path | None, typer.Option(
    "--template", "-t", metavar="PAD", help="Eigen sjabloon (kopie van templates/jw30x.toml).")]
WaardeOption = Annotated[list[str] | None, typer.Option(
    "--waarde", "-w", metavar="NAAM=WAARDE",
    help="Waarde voor een plaatshouder uit het sjabloon, bijv. --waarde postcode=5038EA.")]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Overschrijf een bestaand uitvoerbestand.")]
DataOption = Annotated[Path | None, typer.Option(
    "--data", metavar="BESTAND", help="Casussen uit .xlsx of .csv, één product per rij.")]
DbBronOption = Annotated[str | None, typer.Option(
    "--db", metavar="URL_OF_PAD",
    help="Het register (SQLite-bestand of postgresql://…): adres van de cliënt, "
    "ToewijzingNummers, actuele toewijzing; het bericht wordt erin vastgelegd (standaard: "
    "IJWCLI_DB of db in ijwcli.toml).")]
GeenRegisterOption = Annotated[bool, typer.Option(
    "--geen-register", help="Werk zonder register, ook als er een is ingesteld.")]
ConfigBronOption = Annotated[str | None, typer.Option(
    "--config", metavar="PAD", help="Configuratiebestand (standaard: IJWCLI_CONFIG, "
    "./ijwcli.toml, de gebruikersmap); \\[waarden] en code vullen plaatshouders als laatste.")]

def _omgeving(db: str | None, geen_register: bool, config: str | None) -> Any:
    """The register (if one is set: --db, IJWCLI_DB or ijwcli.toml) and the configuration."""
    from ijwcli import generatie as g
    from ijwcli.config import laad_config, register_locatie

    c = laad_config(config)
    register = None
    if db and geen_register:
        raise UsageError("--db en --geen-register gaan niet samen")
    # The user's default register only when asked for: --db, IJWCLI_DB or db in ijwcli.toml.
    if not geen_register and (db or os.environ.get("IJWCLI_DB") or c.db):
        from ijwcli.register import open_register

        locatie, _ = register_locatie(db, c)
        register = open_register(locatie, c)
    return c, g.Omgeving(register, c.plaatshouders(), c.bestand)


def _sjabloon(template: Path | None, c: Any, bericht: str) -> Any:
    """--template, else the configuration's ``sjabloon`` when it is one for ``bericht``,
    else the shipped template."""
    from ijwcli.generatie import sjabloon

    if template is None and c.sjabloon:
        import tomllib  # only for a configured template: the shipped ones come from a cache

        try:
            soort = tomllib.loads(Path(c.sjabloon).read_text("utf-8")).get("bericht")
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            soort = bericht  # laad() names the problem
        if str(soort).upper() == bericht:
            return sjabloon.laad(c.sjabloon, bericht)
    return sjabloon.laad(template, bericht)


def _waarden(paren: list[str] | None) -> dict[str, str]:
    uit: dict[str, str] = {}
    for paar in paren or []:
        naam, is_, waarde = paar.partition("=")
        if not is_ or not naam.strip():
            raise UsageError(f"--waarde {paar!r}: gebruik NAAM=WAARDE")
        uit[naam.strip().lower()] = waarde.strip()
    return uit


@generate_app.command("jw301")
@handle_errors
def jw301(
    bron: Annotated[Path | None, typer.Option(
        "--from", metavar="BERICHT",
        help="JW315 (verzoek om toewijzing), JW317 (verzoek om wijziging) of de actuele JW301 "
        "(met --verlenging of --intrekken).")] = None,
    data: DataOption = None,
    verlenging: Annotated[Path | None, typer.Option(
        metavar="UITKOMST.json", help="Uitkomst van 'ijwcli verlenging --json'.")] = None,
    intrekken: Annotated[str | None, typer.Option(
        metavar="TOEWIJZINGNUMMER", help="Trek deze toewijzing in (RedenWijziging 13).")] = None,
    actueel: Annotated[Path | None, typer.Option(
        metavar="JW301", help="De actuele toewijzing waarop een JW317 ingaat (standaard: uit "
        "het register).")] = None,
    toewijzingnummer: Annotated[str | None, typer.Option(
        metavar="N", help="Welke toewijzing de verlenging betreft (bij meer dan één, of om "
        "haar in het register te vinden).")] = None,
    output: OutputOption = None,
    template: TemplateOption = None,
    start: Annotated[int | None, typer.Option(
        "--toewijzingnummer-start", metavar="N", min=0,
        help="Eerste nieuwe ToewijzingNummer (of het minimum, samen met --teller); alleen "
        "zonder register.")] = None,
    teller: Annotated[Path | None, typer.Option(
        metavar="BESTAND", help="Tellerbestand met het laatst uitgegeven ToewijzingNummer; "
        "alleen zonder register.")] = None,
    waarde: WaardeOption = None,
    db: DbBronOption = None,
    geen_register: GeenRegisterOption = False,
    config: ConfigBronOption = None,
    force: ForceOption = False,
    today: TodayOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Maak een toewijzing (JW301), gevalideerd en atomair geschreven.

    Bronnen (precies één):
      --from JW315.xml                               verzoek om toewijzing
      --from JW317.xml [--actueel JW301.xml]         verzoek om wijziging
      [--from JW301.xml] --verlenging uitkomst.json  ijwcli verlenging --json
      [--from JW301.xml] --intrekken NUMMER          intrekking (reden 13)
      --data casussen.xlsx|.csv                      één product per rij

    Zonder --actueel of --from JW301 komt de actuele toewijzing uit het register.
    ToewijzingNummers: met een register uit de reeks van het register (TR332, per gemeente,
    nooit hergebruikt); zonder register --toewijzingnummer-start of --teller. Met een
    register wordt elk geschreven bericht erin vastgelegd als verzonden (richting uit).
    Plaatshouders: --waarde, de datarij, het register (laatste JW301 voor het BSN), de
    configuratie; alle ontbrekende in één keer: exit 2 bij --from, exit 1 bij --data.

    Example (een JW315 toewijzen; het standaardsjabloon vraagt het adres):

    ijwcli generate jw301 --from jw315.xml --toewijzingnummer-start 700100 \\
      -w postcode=5038EA -w huisnummer=12 -w straatnaam=Stationsstraat \\
      -w plaatsnaam=Tilburg -o toewijzing.xml

    Example (toewijzing 300202 van de actuele JW301 intrekken):

    ijwcli generate jw301 --from jw301.xml --intrekken 300202 -o jw301-in.xml
    """
    from ijwcli import generatie as g

    if (bron is None and data is None and verlenging is None and intrekken is None) or \
            (bron is not None and data is not None):
        raise UsageError("geef precies één van --from BERICHT of --data BESTAND (of, met een "
                         "register, --verlenging/--intrekken zonder --from)")
    peildatum = parse_date(today, "--today")
    waarden = _waarden(waarde)
    c, omgeving = _omgeving(db, geen_register, config)
    with _gesloten(omgeving):
        s = _sjabloon(template, c, "JW301")
        invoer = [p for p in (bron, data, verlenging, actueel, template) if p is not None]
        nummers = g.Nummerreeks.voor(s, start, teller, omgeving.register, c.teller)
        with nummers.vergrendeld():
            if data is not None:
                if verlenging or intrekken or actueel:
                    raise UsageError("--data gaat niet samen met --verlenging, --intrekken of "
                                     "--actueel")
                rb = g.jw301_uit_rijen(data, s, nummers=nummers, today=peildatum,
                                       waarden=waarden, omgeving=omgeving)
                berichten = _uit_rijen(g, rb, peildatum)
            else:
                b = g.jw301_uit_bestand(bron, s, nummers=nummers, today=peildatum,
                                        waarden=waarden, actueel=actueel,
                                        verlenging=verlenging, intrekken=intrekken,
                                        toewijzingnummer=toewijzingnummer, omgeving=omgeving)
                waar = str(bron) if bron is not None else "register"
                berichten = [(b, g.controleer(b, peildatum, waar), waar,
                              list(omgeving.herkomst))]
            _schrijf(g, berichten, output, data is not None, force, invoer, format, nummers,
                     omgeving.register, peildatum)


@generate_app.command("jw307")
@handle_errors
def jw307(
    bron: Annotated[Path | None, typer.Option(
        "--from", metavar="JW305", help="Het startbericht (JW305) waarvan de zorg stopt.")
    ] = None,
    data: DataOption = None,
    einddatum: Annotated[str | None, typer.Option(
        metavar=_D, help="Einddatum van de zorg (niet na vandaag, TR134).")] = None,
    reden: Annotated[str | None, typer.Option(
        metavar="CODE", help="RedenBeeindiging uit de codelijst (bijv. 31: volgens plan).")
    ] = None,
    output: OutputOption = None,
    template: TemplateOption = None,
    waarde: WaardeOption = None,
    db: DbBronOption = None,
    geen_register: GeenRegisterOption = False,
    config: ConfigBronOption = None,
    force: ForceOption = False,
    today: TodayOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Maak een stopbericht (JW307): één StopProduct per StartProduct, sleutels ongewijzigd.

    Plaatshouders: --waarde, de datarij, de configuratie; alle ontbrekende in één keer
    (exit 2 bij --from, exit 1 bij --data). Met een register (--db, IJWCLI_DB, ijwcli.toml)
    wordt elk geschreven bericht erin vastgelegd als verzonden.

    Example (de zorg van een JW305 volgens plan beëindigd op 17 juli 2026):

    ijwcli generate jw307 --from jw305.xml --einddatum 2026-07-17 --reden 31 \\
      -o jw307.xml
    """
    from ijwcli import generatie as g

    if (bron is None) == (data is None):
        raise UsageError("geef precies één van --from JW305 of --data BESTAND")
    peildatum = parse_date(today, "--today")
    waarden = _waarden(waarde)
    c, omgeving = _omgeving(db, geen_register, config)
    with _gesloten(omgeving):
        s = _sjabloon(template, c, "JW307")
        invoer = [p for p in (bron, data, template) if p is not None]
        if data is not None:
            if einddatum or reden:
                raise UsageError("bij --data staan einddatum en reden in de kolommen einddatum "
                                 "en reden")
            rb = g.jw307_uit_rijen(data, s, today=peildatum, waarden=waarden, omgeving=omgeving)
            berichten = _uit_rijen(g, rb, peildatum)
        else:
            assert bron is not None
            eind = parse_date(einddatum, "--einddatum")
            if eind is None:
                raise UsageError("geef --einddatum JJJJ-MM-DD")
            b = g.jw307_uit_start(g.lees_bericht(bron), eind, reden, s, today=peildatum,
                                  waarden=waarden, bron=str(bron), omgeving=omgeving)
            berichten = [(b, g.controleer(b, peildatum, str(bron)), str(bron),
                          list(omgeving.herkomst))]
        _schrijf(g, berichten, output, data is not None, force, invoer, format, None,
                 omgeving.register, peildatum)


@contextmanager
def _gesloten(omgeving: Any) -> Iterator[None]:
    try:
        yield
    finally:
        if omgeving.register is not None:
            omgeving.register.close()


Gemaakt = tuple["Bericht", bytes, str, list[Any]]


def _uit_rijen(g: Any, rb: list[Any], peildatum: Any) -> list[Gemaakt]:
    """Messages from rows with their validated XML; findings name row and column."""
    xml = g.controleer_rijen(rb, peildatum)
    return [(r.bericht, x, r.waar, r.herkomst) for r, x in zip(rb, xml, strict=True)]


def _schrijf(g: Any, xml: list[Gemaakt], output: str | None, naar_map: bool,
             force: bool, invoer: list[Path], format: str,  # noqa: A002
             nummers: Any, register: Any, peildatum: Any) -> None:
    """Write the validated messages, all or none (and record them in the register)."""
    if output == "-":
        if len(xml) != 1:
            raise UsageError("-o - (stdout) kan alleen bij één bericht")
        if nummers is not None:
            nummers.bewaar()
        if register is not None:
            g.registreer(register, [xml[0][1]], peildatum)
        sys.stdout.buffer.write(xml[0][1])
        return
    if naar_map:
        map_ = Path(output or ".")
        if map_.exists() and not map_.is_dir():
            raise UsageError(f"{map_} is geen map; geef bij --data met -o een map op")
        map_.mkdir(parents=True, exist_ok=True)
        doelen = [map_ / g.bestandsnaam(b) for b, *_ in xml]
    else:
        doelen = [Path(output) if output else Path(g.bestandsnaam(xml[0][0]))]
    g.schrijf_alles([(d, data) for d, (_, data, *_) in zip(doelen, xml, strict=True)], force,
                    invoer, nummers, register, peildatum)
    rapport = [_samenvatting(b, d, waar, herkomst, register is not None)
               for d, (b, _, waar, herkomst) in zip(doelen, xml, strict=True)]
    if format == "json":
        from ijwcli.cli import uitvoer

        summary = {"berichten": len(rapport), "geschreven": len(rapport),
                   "geregistreerd": len(rapport) if register is not None else 0}
        emit_json(uitvoer.document(
            f"generate {xml[0][0].code.lower()}" if xml else "generate", 0,
            summary=summary, results=rapport,
            files=[uitvoer.bestand(r["bestand"], r["bericht"], r["identificatie"], r["bron"])
                   for r in rapport]))
        return
    from rich.markup import escape

    for r in rapport:
        nummers_ = ", ".join(r["toewijzingnummers"]) or "—"
        console.print(f"[green]✓[/] {escape(r['bestand'])}  [dim]{r['bericht']} "
                      f"{r['identificatie']} BSN {r['bsn']} → {r['ontvanger']}; "
                      f"toewijzingnummer(s) {nummers_}[/]")
        for regel in _herkomst_regels(r["herkomst"]):
            console.print(f"    [dim]{escape(regel)}[/]", soft_wrap=True)
    slot = f"{len(rapport)} bericht(en) geschreven"
    if register is not None:
        slot += f" en vastgelegd in het register {register.toon_locatie}"
    console.print(escape(slot))


def _herkomst_regels(herkomst: list[dict[str, Any]]) -> list[str]:
    """One line per source: ``uit --waarde: postcode=5038EA, huisnummer=12``."""
    per_bron: dict[tuple[str, str | None], list[str]] = {}
    for h in herkomst:
        if h["bron"] == "bronbericht":
            continue  # the parties: the header shows them already
        naam = h["plaatshouder"] or (h["element"] or "").rsplit("/", 1)[-1]
        plek = h["plek"] if h["bron"] in ("register", "configuratie") else None
        per_bron.setdefault((h["bron"], plek), []).append(f"{naam}={h['waarde']}")
    uit = []
    for (bron, plek), paren in per_bron.items():
        waar = f" ({plek})" if plek else ""
        uit.append(f"uit {bron}{waar}: {', '.join(dict.fromkeys(paren))}")
    return uit


def _samenvatting(b: Bericht, pad: Path, bron: str, herkomst: list[Any],
                  geregistreerd: bool) -> dict[str, Any]:
    return {"bestand": str(pad), "bericht": b.code, "identificatie": b.identificatie,
            "dagtekening": b.root.value("Header/BerichtIdentificatie/Dagtekening"),
            "afzender": b.root.value("Header/Afzender"),
            "ontvanger": b.root.value("Header/Ontvanger"), "bsn": b.root.value("Client/Bsn"),
            "toewijzingnummers": [p.value("ToewijzingNummer") for p in b.producten
                                  if p.value("ToewijzingNummer")],
            "bron": bron, "herkomst": [h.to_dict() for h in herkomst],
            "geregistreerd": geregistreerd}


# --- the gemeente's answers, judged against and recorded in the register ----------------------
AntwoordOutput = Annotated[str | None, typer.Option(
    "--output", "-o", metavar="PAD",
    help="Uitvoerbestand (.xml; '-' = stdout) of uitvoermap. Standaard: de huidige map, "
    "bestandsnaam <JWnnn>_<BerichtCode>_<Identificatie>.xml.")]


def _register(db: str | None, config: str | None) -> Any:
    from ijwcli.config import laad_config
    from ijwcli.register import open_register

    return open_register(db, laad_config(config))


def _naar_stdout(xml: bytes, vastleggen: Any) -> None:
    vastleggen()
    sys.stdout.buffer.write(xml)


def _euro(centen: int) -> str:
    teken = "-" if centen < 0 else ""
    e, c = divmod(abs(centen), 100)
    return f"{teken}€ {e:,}".replace(",", ".") + f",{c:02d}"


@generate_app.command("jw325")
@handle_errors
def jw325(
    bron: Annotated[Path, typer.Option(
        "--from", metavar="JW323", help="De declaratie (JW323) die beantwoord wordt.")],
    tarieven: Annotated[Path | None, typer.Option(
        metavar="CSV", help="Contracttarieven (productcode, tarief in centen; TR418). "
        "Standaard: 'tarieven' in ijwcli.toml.")] = None,
    output: AntwoordOutput = None,
    db: DbOption = None,
    config: ConfigOption = None,
    force: ForceOption = False,
    today: TodayOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Maak het declaratie-antwoord (JW325): elke prestatie goedgekeurd of afgewezen.

    Elke prestatie wordt beoordeeld tegen het register (de toewijzing, eerdere
    declaraties en antwoorden) en, met een tarievenlijst, tegen het
    contracttarief. Een afgewezen prestatie staat in het antwoord met de
    retourcode van elke regel die ze breekt; TotaalToegekendBedrag is het
    ingediende bedrag min de afgewezen prestaties (TR342). Het antwoord wordt
    in het register vastgelegd: een tweede keer voor dezelfde declaratie
    zegt dat die al beantwoord is en schrijft niets.

    Exit code 0: antwoord geschreven (ook met afwijzingen; zie de samenvatting);
    1: al beantwoord, of geen declaratie om te beantwoorden; 2: gebruiks- of
    bestandsfout.

    Example (een declaratie beantwoorden met het register demo.db):

    ijwcli generate jw325 --from jw323.xml --db demo.db -o uitbox/
    """
    from ijwcli.generatie import jw325 as lib

    peildatum = parse_date(today, "--today")
    with _register(db, config) as reg:
        lijst = tarieven or (Path(reg.config.tarieven) if reg.config.tarieven else None)
        a = lib.maak(bron, register=reg, tarieven=lijst, today=peildatum)
        if output == "-":
            _naar_stdout(a.xml, lambda: lib.registreer(a, reg))
            return
        doel = lib.schrijf(a, output, register=reg, force=force)
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "generate jw325", 0,
            summary={"berichten": 1, "geschreven": 1, **lib.samenvatting(a)},
            results=[{**a.to_dict(), "bestand": str(doel)}],
            files=[uitvoer.bestand(doel, "JW325", a.identificatie, a.bron)],
            findings=[uitvoer.bevinding(b, file=a.bron) for b in a.bevindingen]))
        return
    from rich.markup import escape

    kleur = {"goedgekeurd": "green", "gedeeltelijk": "yellow"}.get(a.status, "red")
    console.print(f"[green]✓[/] {escape(str(doel))}  [dim]JW325 {a.identificatie} → "
                  f"{a.aanbieder}, declaratie {escape(a.declaratie)}[/]")
    console.print(f"[{kleur}]{a.status}[/]: {len(a.prestaties) - len(a.afgewezen)} van "
                  f"{len(a.prestaties)} prestatie(s) goedgekeurd; ingediend "
                  f"{_euro(a.ingediend)}, toegekend {_euro(a.toegekend)}"
                  + (f"; retourcodes {', '.join(a.retourcodes)}" if a.retourcodes else ""))
    for p in a.afgewezen:
        # Not listed in the answer: refused with the declaratie as a whole.
        codes = ", ".join(p.retourcodes) or f"met de declaratie ({', '.join(a.retourcodes)})"
        console.print(escape(f"  ✗ {p.referentie} (BSN {p.bsn}, toewijzing "
                             f"{p.toewijzingnummer}): {codes}"))
    for b in a.bevindingen:
        waar = f" regel {b.line}" if b.line else ""
        console.print(escape(f"    {b.rule} [{b.retourcode}]{waar} {b.path or ''}: {b.message}"),
                      style="dim")


@generate_app.command("jw319")
@handle_errors
def jw319(
    bron: Annotated[Path, typer.Option(
        "--from", metavar="VERZOEK",
        help="Het verzoek (JW315 om toewijzing of JW317 om wijziging) dat beantwoord wordt.")],
    antwoord: Annotated[str, typer.Option(
        metavar="afgewezen|in-onderzoek", help="Het antwoord: afgewezen (VerzoekAntwoord 1) of "
        "in-onderzoek (2).")],
    reden: Annotated[str | None, typer.Option(
        metavar="CODE", help="RedenAfwijzingVerzoek bij afgewezen (1–9; 8 = Woonplaatsbeginsel).")
    ] = None,
    woonplaatsbeginsel: Annotated[str | None, typer.Option(
        metavar="GEMEENTECODE", help="Bij reden 8: de gemeente van het woonplaatsbeginsel.")
    ] = None,
    referentie: Annotated[str | None, typer.Option(
        metavar="REF", help="Alleen deze ReferentieAanbieder (standaard: elk in het verzoek).")
    ] = None,
    output: AntwoordOutput = None,
    db: DbOption = None,
    config: ConfigOption = None,
    force: ForceOption = False,
    today: TodayOption = None,
    format: FormatOption = "text",  # type: ignore[assignment]  # noqa: A002
) -> None:
    """Maak het antwoordbericht (JW319) op een verzoek: afgewezen of in onderzoek.

    Eén JW319 per ReferentieAanbieder. Getoetst tegen het register: niet na een
    toewijzing met dezelfde ReferentieAanbieder (TR359), in onderzoek maar één
    keer en alleen als eerste antwoord (TR360), na een afwijzing geen antwoord
    meer (TR365). Het antwoord wordt in het register vastgelegd.

    Exit code 0: geschreven; 1: het register staat dit antwoord niet toe of de
    invoer is geen verzoek; 2: gebruiks- of bestandsfout.

    Example (een verzoek afwijzen: past niet binnen het contract):

    ijwcli generate jw319 --from jw315.xml --antwoord afgewezen --reden 4 \\
      --db demo.db -o uitbox/
    """
    from ijwcli.generatie import jw319 as lib

    peildatum = parse_date(today, "--today")
    with _register(db, config) as reg:
        alle = lib.maak(bron, antwoord, reden=reden, woonplaatsbeginsel=woonplaatsbeginsel,
                        referentie=referentie, register=reg, today=peildatum)
        if output == "-":
            if len(alle) != 1:
                raise UsageError("-o - (stdout) kan alleen bij één antwoordbericht; kies er één "
                                 "met --referentie")
            _naar_stdout(alle[0].xml, lambda: lib.registreer(alle[0], reg))
            return
        paden = lib.schrijf(alle, output, register=reg, force=force)
    if format == "json":
        from ijwcli.cli import uitvoer

        emit_json(uitvoer.document(
            "generate jw319", 0, summary={"berichten": len(alle), "geschreven": len(alle)},
            results=[{**a.to_dict(), "bestand": str(p)} for a, p in zip(alle, paden, strict=True)],
            files=[uitvoer.bestand(p, "JW319", a.identificatie, a.bron)
                   for a, p in zip(alle, paden, strict=True)]))
        return
    from rich.markup import escape

    for a, p in zip(alle, paden, strict=True):
        wat = (f"afgewezen, reden {a.reden}" + (f", woonplaats {a.woonplaatsbeginsel}"
                                                 if a.woonplaatsbeginsel else "")
               if a.verzoekantwoord == "1" else "in onderzoek")
        naar = a.bericht.root.value("Header/Ontvanger")
        console.print(escape(f"✓ {p}  JW319 {a.identificatie} → {naar}: {a.verzoek} "
                             f"{a.verzoek_identificatie}, ReferentieAanbieder {a.referentie} "
                             f"{wat}"))
    console.print(f"{len(alle)} antwoordbericht(en) geschreven en vastgelegd in het register")
