"""`ijwcli generate` without retyping (issue 14 part 2, issue 15 item 6).

- every missing placeholder value in one run, each naming the option or column that fills it;
- the client's address from --waarde, the data row, the register (last JW301 for the BSN) or
  the configuration, with the source of each value in the output;
- ToewijzingNummers from the register's sequence (TR332), also under two runs at once, on
  SQLite and PostgreSQL; generated messages recorded in the register as sent;
- JW317, verlenging and intrekking against the actuele toewijzing found in the register.

Every message written goes through ../shared/tools/ijw-xsd-check and ijw-xslt-check.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ijwcli.cli import app
from tests.conftest import ROOT, SAMPLES, SHARED, needs_shared

runner = CliRunner()
ADRES = ["-w", "postcode=5038EA", "-w", "huisnummer=12", "-w", "straatnaam=Stationsstraat",
         "-w", "plaatsnaam=Tilburg"]
TODAY = "2026-04-02"
XSD_CHECK = SHARED / "tools" / "ijw-xsd-check"
XSLT_CHECK = SHARED / "tools" / "ijw-xslt-check"


@pytest.fixture(autouse=True)
def _geen_eigen_omgeving(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A developer's IJWCLI_DB or ijwcli.toml must not turn these runs into register runs.
    monkeypatch.delenv("IJWCLI_DB", raising=False)
    monkeypatch.delenv("IJWCLI_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)


def run(*args: str | Path) -> tuple[int, str, str]:
    r = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in r.stdout + r.stderr
    return r.exit_code, r.stdout, r.stderr


def jrun(*args: str | Path, code: int = 0) -> dict:
    c, out, err = run(*args, "--format", "json")
    assert c == code, (out, err)
    doc = json.loads(out)
    assert doc["exit_code"] == code
    import jsonschema

    from ijwcli.cli import uitvoer

    jsonschema.validate(doc, uitvoer.schema(doc["command"]))  # the published shape
    return doc


def orakels(*paden: Path) -> None:
    """The reference XSDs and the official validation XSLT accept every file."""
    bestanden = [str(p) for p in paden]
    assert bestanden
    for tool in (XSD_CHECK, XSLT_CHECK):
        if not tool.exists():
            continue  # needs_shared() below skips when the whole folder is absent
        r = subprocess.run([sys.executable, str(tool), *bestanden], capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, (tool.name, r.stdout, r.stderr)


def jw315(doel: Path, bsn: str | None = None) -> Path:
    tekst = (needs_shared() / "voorbeelden" / "JW315.xml").read_text("utf-8")
    if bsn:
        tekst = tekst.replace("999900006", bsn)
    p = doel / f"jw315_{bsn or 'ref'}.xml"
    p.write_text(tekst, "utf-8", newline="")
    return p


# --- every missing value in one run -----------------------------------------------------------
def test_every_missing_value_of_a_message_in_one_run_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "a.xml"
    code, _, stderr = run("generate", "jw301", "--from", jw315(tmp_path),
                          "--toewijzingnummer-start", "1", "-o", out, "--today", TODAY)
    tekst = " ".join(stderr.split())
    assert code == 2 and "4 waarden ontbreken, er is niets geschreven" in tekst
    for naam in ("huisnummer", "postcode", "straatnaam", "plaatsnaam"):
        assert f"geen waarde voor {{{naam}}}" in tekst and f"--waarde {naam}=…" in tekst
    assert "{huisletter}" not in tekst  # optional: may stay empty
    assert not out.exists()
    doc = jrun("generate", "jw301", "--from", jw315(tmp_path), "--toewijzingnummer-start", "1",
               "-w", "postcode=5038EA", "-o", out, "--today", TODAY, code=2)
    assert [f["message"].split("}")[0] for f in doc["findings"]] == [
        "geen waarde voor {huisnummer", "geen waarde voor {straatnaam",
        "geen waarde voor {plaatsnaam"]
    assert {f["rule"] for f in doc["findings"]} == {"GEBRUIK"} and not out.exists()


def test_every_missing_value_of_a_sheet_in_one_run_exit_1(tmp_path: Path) -> None:
    kop = ("gemeente,aanbieder,bsn,geboortedatum,geslacht,achternaam,categorie,productcode,"
           "ingangsdatum,einddatum,volume,eenheid,frequentie,postcode,huisnummer\n")
    rij = ("0855,12345678,{bsn},2014-05-09,2,Dijk,45,45A05,2026-03-01,2027-02-28,100,04,6,"
           "{pc},{nr}\n")
    p = tmp_path / "cases.csv"
    p.write_text(kop + rij.format(bsn="999900018", pc="5038EA", nr="")
                 + rij.format(bsn="999900006", pc="", nr="3"), "utf-8")
    uit = tmp_path / "uit"
    code, _, stderr = run("generate", "jw301", "--data", p, "-o", uit, "--today", TODAY,
                          "--toewijzingnummer-start", "1")
    tekst = " ".join(stderr.split())
    assert code == 1 and "4 fout(en) in de invoer, er is niets geschreven" in tekst
    assert "cases.csv rij 2 kolom huisnummer: leeg, maar {huisnummer}" in tekst
    assert "cases.csv rij 3 kolom postcode: leeg, maar {postcode}" in tekst
    # An absent column is told once, with the rows that needed it.
    assert ("geen waarde voor {straatnaam} (Client/Contactgegevens/Contact/Adres/Straatnaam) "
            "in rij(en) 2, 3: voeg een kolom straatnaam toe of geef --waarde straatnaam=…") in tekst
    assert "in rij(en) 2, 3: voeg een kolom plaatsnaam toe" in tekst
    assert not uit.exists() or not any(uit.iterdir())
    doc = jrun("generate", "jw301", "--data", p, "-o", uit, "--today", TODAY,
               "--toewijzingnummer-start", "1", code=1)
    assert len(doc["findings"]) == 4 and {f["rule"] for f in doc["findings"]} == {"INVOER"}
    # --waarde fills the absent columns for every row; it may not contradict a cell.
    doc = jrun("generate", "jw301", "--data", p, "-o", uit, "--today", TODAY,
               "--toewijzingnummer-start", "1", "-w", "straatnaam=Kerkweg",
               "-w", "plaatsnaam=Tilburg", "-w", "postcode=5038EA", "-w", "huisnummer=3")
    assert doc["summary"]["geschreven"] == 2
    [eerste, _] = doc["results"]
    bronnen = {h["plaatshouder"]: (h["bron"], h["plek"]) for h in eerste["herkomst"]
               if h["plaatshouder"] in ("postcode", "straatnaam")}
    assert bronnen == {"postcode": ("--waarde", None), "straatnaam": ("--waarde", None)}
    code, _, stderr = run("generate", "jw301", "--data", p, "-o", tmp_path / "uit2", "--today",
                          TODAY, "--toewijzingnummer-start", "1", "-w", "straatnaam=Kerkweg",
                          "-w", "plaatsnaam=Tilburg", "-w", "postcode=1234AB",
                          "-w", "huisnummer=3")
    assert code == 1 and "rij 2 kolom postcode: '5038EA' spreekt --waarde postcode=1234AB" \
        in " ".join(stderr.split())
    orakels(*sorted(uit.glob("*.xml")))


def test_jw307_template_placeholders_all_reported(tmp_path: Path) -> None:
    t = tmp_path / "stop.toml"
    t.write_text('bericht = "JW307"\n[afzender]\nagb = "{aanbieder}"\n[client]\n'
                 '"Naam/Voornamen" = "{voornamen}"\n"Naam/Voorletters" = "{voorletters}"\n',
                 "utf-8")
    jw305 = _kopie(tmp_path, "JW305", ("<ijw:Voornamen>Tom</ijw:Voornamen>", ""),
                   ("<ijw:Voorletters>T</ijw:Voorletters>", ""))
    args = ["generate", "jw307", "--from", jw305, "--einddatum", "2026-07-17", "--reden", "31",
            "--template", t, "--today", "2026-07-20", "-o", tmp_path / "s.xml"]
    code, _, stderr = run(*args)
    tekst = " ".join(stderr.split())
    # A JW305 without Voornamen/Voorletters: both are asked for at once.
    assert code == 2 and "2 waarden ontbreken" in tekst
    assert "--waarde voornamen=…" in tekst and "--waarde voorletters=…" in tekst
    doc = jrun(*args, "-w", "voornamen=Tom", "-w", "voorletters=T")
    assert {h["plaatshouder"]: h["bron"] for h in doc["results"][0]["herkomst"]} == {
        "aanbieder": "bronbericht", "voornamen": "--waarde", "voorletters": "--waarde"}
    orakels(tmp_path / "s.xml")


# --- the register: address, numbers, recording -----------------------------------------------
def test_address_and_numbers_from_the_register(register_db: str, tmp_path: Path) -> None:
    db = ["--db", register_db]
    eerste = tmp_path / "eerste.xml"
    doc = jrun("generate", "jw301", "--from", jw315(tmp_path), *db, *ADRES, "-w", "huisletter=B",
               "-o", eerste, "--today", TODAY)
    [r] = doc["results"]
    assert r["geregistreerd"] is True and doc["summary"]["geregistreerd"] == 1
    # The register's sequence for gemeente 0384 (the JW315's): nothing there yet, so 1 and 2.
    assert r["toewijzingnummers"] == ["1", "2"]
    assert {h["bron"] for h in r["herkomst"] if h["plaatshouder"] == "postcode"} == {"--waarde"}
    # The same client again: the address comes from the JW301 just recorded.
    tweede = tmp_path / "tweede.xml"
    doc = jrun("generate", "jw301", "--from", jw315(tmp_path), *db, "-o", tweede, "--today",
               TODAY)
    [r2] = doc["results"]
    assert r2["toewijzingnummers"] == ["3", "4"]  # never reused
    uit_register = {h["plaatshouder"]: h for h in r2["herkomst"] if h["bron"] == "register"}
    assert uit_register["postcode"]["waarde"] == "5038EA"
    assert uit_register["huisletter"]["waarde"] == "B"
    assert uit_register["postcode"]["plek"] == f"JW301 {r['identificatie']} van {TODAY}"
    assert "<ijw:Huisletter>B</ijw:Huisletter>" in tweede.read_text("utf-8")
    code, stdout, _ = run("generate", "jw301", "--from", jw315(tmp_path), *db, "-o",
                          tmp_path / "derde.xml", "--today", TODAY)
    assert code == 0 and "uit register (JW301 " in stdout and "postcode=5038EA" in stdout
    # A new address typed in part is never completed with the old one's parts.
    code, _, stderr = run("generate", "jw301", "--from", jw315(tmp_path), *db,
                          "-w", "postcode=1234AB", "-o", tmp_path / "x.xml", "--today", TODAY)
    tekst = " ".join(stderr.split())
    assert code == 2 and "3 waarden ontbreken" in tekst and "het register heeft Contactgegevens" \
        in tekst
    assert not (tmp_path / "x.xml").exists()
    lijst = jrun("register", "list", *db)["results"]
    assert [(x["bericht"], x["richting"]) for x in lijst] == [("JW301", "uit")] * 3
    # Numbers from options only without a register.
    code, _, stderr = run("generate", "jw301", "--from", jw315(tmp_path), *db,
                          "--toewijzingnummer-start", "900", "-o", tmp_path / "y.xml")
    assert code == 2 and "--geen-register" in " ".join(stderr.split())
    doc = jrun("generate", "jw301", "--from", jw315(tmp_path), "--db", register_db,
               "--geen-register", "--toewijzingnummer-start", "900", *ADRES, "-o",
               tmp_path / "z.xml", "--today", TODAY, code=2)
    assert "niet samen" in doc["findings"][0]["message"]
    orakels(eerste, tweede)


def test_register_from_the_configuration_with_its_values(tmp_path: Path) -> None:
    (tmp_path / "ijwcli.toml").write_text(
        'rol = "gemeente"\ncode = "0384"\ndb = "reg.db"\n[waarden]\nplaatsnaam = "Tilburg"\n'
        'straatnaam = "Stationsstraat"\n', "utf-8")
    doc = jrun("generate", "jw301", "--from", jw315(tmp_path), "-w", "postcode=5038EA",
               "-w", "huisnummer=7", "-o", tmp_path / "a.xml", "--today", TODAY)
    [r] = doc["results"]
    herkomst = {h["plaatshouder"]: (h["bron"], h["plek"]) for h in r["herkomst"]}
    assert herkomst["plaatsnaam"] == ("configuratie", str(tmp_path / "ijwcli.toml"))
    assert herkomst["postcode"] == ("--waarde", None)
    assert r["geregistreerd"] and (tmp_path / "reg.db").exists()
    # config show lists the [waarden] too.
    show = jrun("config", "show")["results"]
    assert {"sleutel": "waarden.plaatsnaam", "waarde": "Tilburg",
            "bron": str(tmp_path / "ijwcli.toml")} in show
    # The data sheet without a gemeente column: {gemeente} from the configuration's code.
    p = tmp_path / "cases.csv"
    p.write_text("aanbieder,bsn,geboortedatum,geslacht,achternaam,categorie,productcode,"
                 "ingangsdatum,einddatum,volume,eenheid,frequentie,postcode,huisnummer\n"
                 "42420001,999900018,2014-05-09,2,Dijk,45,45A05,2026-03-01,2027-02-28,100,04,"
                 "6,5038EA,12\n", "utf-8")
    doc = jrun("generate", "jw301", "--data", p, "-o", tmp_path / "uit", "--today", TODAY)
    [r] = doc["results"]
    assert r["afzender"] == "0384" and r["toewijzingnummers"] == ["3"]
    orakels(tmp_path / "a.xml", Path(r["bestand"]))


# --- the actuele toewijzing from the register -------------------------------------------------
def _kopie(doel: Path, naam: str, *vervang: tuple[str, str]) -> Path:
    tekst = (needs_shared() / "voorbeelden" / f"{naam}.xml").read_text("utf-8")
    for oud, nieuw in vervang:
        assert oud in tekst, oud
        tekst = tekst.replace(oud, nieuw, 1)
    p = doel / f"{naam.lower()}.xml"
    p.write_text(tekst, "utf-8", newline="")
    return p


def test_jw317_verlenging_intrekking_against_the_register(register_db: str,
                                                          tmp_path: Path) -> None:
    db = ["--db", register_db]
    # The reference JW317 (its NieuwProduct ends before it starts, CS003: given a sane end)
    # refers to toewijzing 10071 of aanbieder 65656055: a matching actuele JW301 in the register.
    jw317 = _kopie(tmp_path, "JW317", ("2024-02-28", "2027-02-28"))
    actueel = _kopie(tmp_path, "JW301", ("42420001", "65656055"), (">300201<", ">10071<"))
    assert jrun("register", "add", actueel, "--richting", "uit", *db)["results"][0]["status"] \
        == "nieuw"
    code, _, stderr = run("generate", "jw301", "--from", jw317, "-o", tmp_path / "x.xml",
                          "--today", "2026-07-20")
    assert code == 2 and "--actueel" in stderr  # no register: asked for
    uit317 = tmp_path / "wijziging.xml"
    doc = jrun("generate", "jw301", "--from", jw317, *db, "-o", uit317, "--today", "2026-07-20")
    [r] = doc["results"]
    assert "10071" in r["toewijzingnummers"]
    nieuw = [n for n in r["toewijzingnummers"] if n not in ("10071", "300202")]
    assert nieuw and all(int(n) > 300202 for n in nieuw)  # above every number in the register

    # A verlenging outcome, then generate with neither --from nor --actueel.
    huidig = SAMPLES / "jw301_toewijzing.xml"
    jrun("register", "add", huidig, "--richting", "uit", *db)
    code, stdout, _ = run("verlenging", "--regio", "hart-van-brabant", "--verwijzer", "toegang",
                          "--ingangsdatum", "2026-03-01", "--einddatum", "2027-02-28",
                          "--volume", "100", "--eenheid", "04", "--frequentie", "6",
                          "--nieuwe-einddatum", "2027-07-31", "--extra-volume", "30", "--json",
                          "--today", "2026-09-01")
    assert code == 0
    uitkomst = tmp_path / "uitkomst.json"
    uitkomst.write_text(stdout, "utf-8")
    code, _, stderr = run("generate", "jw301", "--verlenging", uitkomst, *db, "-o",
                          tmp_path / "v.xml", "--today", "2026-09-05")
    assert code == 2 and "--toewijzingnummer" in stderr
    verlengd = tmp_path / "verlengd.xml"
    doc = jrun("generate", "jw301", "--verlenging", uitkomst, "--toewijzingnummer", "700001",
               *db, "-o", verlengd, "--today", "2026-09-05")
    assert doc["results"][0]["bron"] == "register"
    tekst = verlengd.read_text("utf-8")
    assert "<jw301:Einddatum>2027-07-31</jw301:Einddatum>" in tekst
    assert "<ijw:Volume>130</ijw:Volume>" in tekst
    assert "<jw301:RedenWijziging>04</jw301:RedenWijziging>" in tekst
    # The verlenging is in the register now: the intrekking starts from it.
    ingetrokken = tmp_path / "ingetrokken.xml"
    jrun("generate", "jw301", "--intrekken", "700001", *db, "-o", ingetrokken, "--today",
         "2026-09-06")
    tekst = ingetrokken.read_text("utf-8")
    assert "<jw301:RedenWijziging>13</jw301:RedenWijziging>" in tekst
    assert "<jw301:Einddatum>2026-03-01</jw301:Einddatum>" in tekst
    code, _, stderr = run("generate", "jw301", "--intrekken", "123456", *db, "-o",
                          tmp_path / "n.xml", "--today", "2026-09-06")
    assert code == 1 and "staat niet in het register" in stderr
    orakels(uit317, verlengd, ingetrokken)


# --- TR332 under two runs at once -------------------------------------------------------------
def test_two_concurrent_runs_never_share_a_number(register_db: str, tmp_path: Path) -> None:
    """Two generate runs (6 toewijzingen each) into one register at the same moment."""
    kop = ("gemeente,aanbieder,bsn,geboortedatum,geslacht,achternaam,categorie,productcode,"
           "ingangsdatum,einddatum,volume,eenheid,frequentie,postcode,huisnummer,straatnaam,"
           "plaatsnaam\n")
    from tests.registerhulp import bsn

    bladen = []
    for k in range(2):
        p = tmp_path / f"cases{k}.csv"
        p.write_text(kop + "".join(
            f"0855,12345678,{bsn(100 * k + i)},2014-05-09,2,Dijk,45,45A05,2026-03-01,"
            f"2027-02-28,10,04,6,5038EA,{i + 1},Stationsstraat,Tilburg\n" for i in range(6)),
            "utf-8")
        bladen.append(p)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("IJWCLI_DB", None)
    procs = [subprocess.Popen(
        [sys.executable, "-m", "ijwcli", "generate", "jw301", "--data", str(p), "--db",
         register_db, "-o", str(tmp_path / f"uit{k}"), "--today", TODAY, "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        for k, p in enumerate(bladen)]
    nummers: list[int] = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        eigen = [int(n) for r in json.loads(out)["results"] for n in r["toewijzingnummers"]]
        nummers += eigen
    assert len(nummers) == 12 and len(set(nummers)) == 12
    assert set(nummers) == set(range(1, 13))  # one sequence, nothing skipped when all succeed
    from ijwcli.register import open_register

    with open_register(register_db) as reg:
        assert reg.info()["berichten"] == 12
    orakels(*sorted(tmp_path.glob("uit0/*.xml"))[:3], *sorted(tmp_path.glob("uit1/*.xml"))[:3])


# --- the README's block, as written -----------------------------------------------------------
def test_readme_block_runs_as_written(tmp_path: Path) -> None:
    """"Nothing typed twice: with a register" in the README, line by line, in a copy of
    samples/; the files it writes pass the reference XSDs and the official XSLT."""
    import re
    import shlex
    import shutil

    tekst = (ROOT / "README.md").read_text("utf-8")
    blok = tekst.split("**Nothing typed twice: with a register.**", 1)[1]
    blok = blok.split("```sh\n", 1)[1].split("```", 1)[0]
    shutil.copytree(SAMPLES, tmp_path / "samples")
    gedraaid = 0
    for regel in blok.replace("\\\n", " ").splitlines():
        if regel.startswith("printf "):
            subprocess.run(regel, shell=True, check=True, cwd=tmp_path)
        elif regel.startswith("ijwcli "):
            verwacht = int(m.group(1)) if (m := re.search(r"#\s*exit (\d)", regel)) else 0
            args = shlex.split(regel, comments=True)[1:]
            naar = None
            if ">" in args:
                args, naar = args[:args.index(">")], args[args.index(">") + 1]
            code, stdout, stderr = run(*args)
            assert code == verwacht, (regel, stdout, stderr)
            if naar:
                (tmp_path / naar).write_text(stdout, "utf-8")
            gedraaid += 1
    assert gedraaid == 8
    uit = sorted((tmp_path / "uit").glob("*.xml"))
    assert [p.name for p in uit] == ["b.xml", "ingetrokken.xml", "toewijzing.xml",
                                     "verlengd.xml", "wijziging.xml"]
    toewijzing = (tmp_path / "uit" / "toewijzing.xml").read_text("utf-8")
    assert "<ijw:Postcode>5038EA</ijw:Postcode>" in toewijzing  # from the register's JW301
    assert "<jw301:ToewijzingNummer>700002</jw301:ToewijzingNummer>" in toewijzing
    verlengd = (tmp_path / "uit" / "verlengd.xml").read_text("utf-8")
    assert "<ijw:Volume>130</ijw:Volume>" in verlengd
    assert "<ijw:Plaatsnaam>Tilburg</ijw:Plaatsnaam>" in (tmp_path / "uit" / "b.xml").read_text()
    orakels(*uit)


def test_a_rows_own_number_the_register_gave_to_another_client(register_db: str,
                                                               tmp_path: Path) -> None:
    db = ["--db", register_db]
    jrun("register", "add", SAMPLES / "jw301_toewijzing.xml", "--richting", "uit", *db)
    p = tmp_path / "cases.csv"
    kop = ("gemeente,aanbieder,bsn,geboortedatum,geslacht,achternaam,categorie,productcode,"
           "ingangsdatum,einddatum,volume,eenheid,frequentie,toewijzingnummer\n")
    rij = "0855,12345678,{bsn},2014-05-09,2,Dijk,45,45A05,2026-03-01,2027-02-28,100,04,6,700001\n"
    p.write_text(kop + rij.format(bsn="999900006"), "utf-8")
    code, _, stderr = run("generate", "jw301", "--data", p, *db, *ADRES, "-o", tmp_path / "uit",
                          "--today", TODAY)
    tekst = " ".join(stderr.split())
    assert code == 1 and "1 fout(en)" in tekst
    assert "cases.csv rij 2 kolom toewijzingnummer: ToewijzingNummer 700001" in tekst
    assert "al aan een andere cliënt gegeven (JW301 T2026030201" in tekst
    assert not (tmp_path / "uit").exists() or not any((tmp_path / "uit").iterdir())
    # The same client: a new version of its own toewijzing, the address from the register.
    p.write_text(kop + rij.format(bsn="999900018"), "utf-8")
    doc = jrun("generate", "jw301", "--data", p, *db, "-o", tmp_path / "uit", "--today", TODAY)
    [r] = doc["results"]
    assert r["toewijzingnummers"] == ["700001"]
    assert {h["bron"] for h in r["herkomst"] if h["plaatshouder"] == "postcode"} == {"register"}
    orakels(Path(r["bestand"]))


def test_the_sequence_under_contention(register_db: str, tmp_path: Path) -> None:
    """Two processes drawing 100 numbers each at full speed, released together (TR332)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The sequence generate uses, drawn by two processes in a tight loop,
    # released together. PostgreSQL interleaves their draws; SQLite's single writer lets one
    # process finish its burst first (its busy wait backs off), which is as unique.
    code = ("import sys, time, pathlib\n"
            "from ijwcli.generatie import Nummerreeks\n"
            "from ijwcli.register import open_register\n"
            "reg = open_register(sys.argv[1]); reeks = Nummerreeks(register=reg)\n"
            "pathlib.Path(sys.argv[2] + sys.argv[3]).touch()\n"
            "start = pathlib.Path(sys.argv[2])\n"
            "while not start.exists(): time.sleep(0.002)\n"
            "print(' '.join(str(reeks.volgende('0855')) for _ in range(100)))\n")
    start = tmp_path / "start"
    trekkers = [subprocess.Popen([sys.executable, "-c", code, register_db, str(start), str(k)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env=env, cwd=tmp_path) for k in range(2)]
    import time

    tot = time.monotonic() + 120
    while not all((tmp_path / f"start{k}").exists() for k in range(2)):
        assert all(t.poll() is None for t in trekkers), [t.communicate() for t in trekkers]
        if time.monotonic() > tot:
            for t in trekkers:
                t.kill()
            pytest.fail(f"de trekkers kwamen niet op gang: {[t.communicate() for t in trekkers]}")
        time.sleep(0.01)
    start.touch()
    reeksen = []
    for proc in trekkers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        reeksen.append([int(n) for n in out.split()])
    alle = reeksen[0] + reeksen[1]
    assert len(alle) == 200 and set(alle) == set(range(1, 201))
    assert all(b > a for r in reeksen for a, b in zip(r, r[1:], strict=False))  # each rising
    if register_db.startswith("postgresql"):
        # Interleaved: neither process got one unbroken block, so they really competed.
        assert any(max(r) - min(r) + 1 > len(r) for r in reeksen), reeksen
