"""``ijwcli verlenging`` on the command line: exit codes 0/1/2, JSON, text panel, batch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ijwcli.cli import app
from ijwcli.errors import UsageError
from ijwcli.verlenging import profiel

runner = CliRunner()


def uitkomst(stdout: str) -> dict:
    """The one outcome in ``ijwcli verlenging --format json``."""
    doc = json.loads(stdout)
    assert doc["command"] == "verlenging" and len(doc["results"]) == 1
    return doc["results"][0]["uitkomst"]
BASIS = ["verlenging", "--regio", "hart-van-brabant", "--verwijzer", "toegang",
         "--ingangsdatum", "2026-01-01", "--einddatum", "2026-12-31", "--volume", "100",
         "--eenheid", "04", "--frequentie", "6", "--today", "2026-10-01"]


def run(*args: str):  # noqa: ANN201
    return runner.invoke(app, list(args))


def test_within_exit_0_json_keys() -> None:
    r = run(*BASIS, "--nieuwe-einddatum", "2027-05-31", "--extra-volume", "30", "--json")
    assert r.exit_code == 0, r.output
    d = uitkomst(r.stdout)
    assert list(d) == ["regio", "binnen_richtlijn", "route", "berichten", "toewijzing",
                       "toetsen", "waarschuwingen", "toelichting"]
    assert d["regio"] == "hart-van-brabant" and d["binnen_richtlijn"] is True
    assert d["berichten"] == ["JW301"]
    assert d["toewijzing"] == {"ingangsdatum": "2026-01-01", "einddatum": "2027-05-31",
                               "volume": 130, "eenheid": "04", "frequentie": "6"}


def test_format_json_is_the_same_as_json() -> None:
    a = run(*BASIS, "--extra-volume", "30", "--json")
    b = run(*BASIS, "--extra-volume", "30", "--format", "json")
    assert a.exit_code == b.exit_code == 0 and json.loads(a.stdout) == json.loads(b.stdout)


def test_outside_exit_1_route_toegang() -> None:
    r = run(*BASIS, "--extra-volume", "41", "--format", "json")
    assert r.exit_code == 1
    d = uitkomst(r.stdout)
    assert (d["binnen_richtlijn"], d["route"], d["berichten"]) == (False, "toegang", [])
    assert d["toewijzing"]["volume"] == 100


def test_text_panel_in_dutch() -> None:
    r = run(*BASIS, "--nieuwe-einddatum", "2027-07-31", "--extra-volume", "30")
    assert r.exit_code == 1
    for woord in ("buiten de richtlijn", "route toegang", "looptijd verlenging", "bron:",
                  "Regio Hart van Brabant", "segment 1"):
        assert woord in r.stdout, woord
    ok = run(*BASIS, "--nieuwe-einddatum", "2027-05-31", "--extra-volume", "30")
    assert ok.exit_code == 0 and "toewijzing wordt" in ok.stdout and "JW301" in ok.stdout


def test_dutch_dates_accepted() -> None:
    args = [a if a != "2026-12-31" else "31-12-2026" for a in BASIS]
    r = run(*args, "--nieuwe-einddatum", "31-05-2027", "--json")
    assert r.exit_code == 0 and uitkomst(r.stdout)["toewijzing"]["einddatum"] == "2027-05-31"


@pytest.mark.parametrize(("extra", "melding"), [
    (["--einddatum", "2025-01-01"], "vóór ingangsdatum"),
    (["--volume", "-5"], "negatief"),
    (["--regio", "utrecht"], "onbekende regio"),
    (["--einddatum", "2026-02-30"], "geen geldige datum"),
    (["--eenheid", "99"], "onbekende eenheid"),
    (["--verwijzer", "huisarts"], "onbekende verwijzer"),
])
def test_usage_errors_exit_2_with_message(extra: list[str], melding: str) -> None:
    args = list(BASIS)
    for i in range(0, len(extra), 2):
        args[args.index(extra[i]) + 1] = extra[i + 1]
    r = run(*args, "--extra-volume", "10")
    assert r.exit_code == 2, r.output
    assert melding in r.stderr and "Traceback" not in r.output


@pytest.mark.parametrize("optie", ["--einddatum", "--nieuwe-einddatum", "--today"])
def test_bad_date_names_its_option(optie: str) -> None:
    args = list(BASIS) + ["--nieuwe-einddatum", "2027-05-31"]
    args[args.index(optie) + 1] = "31-06-2026"
    r = run(*args)
    assert r.exit_code == 2, r.output
    assert f"{optie}: '31-06-2026' is geen geldige datum" in r.stderr


def test_missing_options_named() -> None:
    r = run("verlenging", "--regio", "flevoland", "--verwijzer", "medisch")
    assert r.exit_code == 2 and "--ingangsdatum" in r.stderr and "--volume" in r.stderr


def test_flevoland_gi_exit_1() -> None:
    r = run("verlenging", "--regio", "flevoland", "--verwijzer", "gi", "--ingangsdatum",
            "2026-01-01", "--einddatum", "2026-06-30", "--volume", "3000", "--eenheid", "01",
            "--frequentie", "6", "--nieuwe-einddatum", "2026-09-30", "--json")
    assert r.exit_code == 1 and uitkomst(r.stdout)["route"] == "gi"


def test_own_profile_and_bad_profile(tmp_path: Path) -> None:
    src = Path(profiel.__file__).parent / "profielen" / "hart-van-brabant.toml"
    eigen = tmp_path / "eigen.toml"
    eigen.write_text(src.read_text("utf-8").replace('naam = "hart-van-brabant"', 'naam = "eigen"')
                     .replace("max_extra_volume_procent = 40", "max_extra_volume_procent = 50"),
                     "utf-8")
    args = [a for a in BASIS if a not in ("--regio", "hart-van-brabant")]
    r = run(*args, "--profiel", str(eigen), "--extra-volume", "45", "--json")
    assert r.exit_code == 0 and uitkomst(r.stdout)["regio"] == "eigen"
    slecht = tmp_path / "slecht.toml"
    slecht.write_text(eigen.read_text("utf-8").replace("max_verlenging_maanden = 6",
                                                       'max_verlenging_maanden = "zes"'), "utf-8")
    r = run(*args, "--profiel", str(slecht), "--extra-volume", "45")
    assert r.exit_code == 2 and "richtlijn.max_verlenging_maanden" in r.stderr
    with pytest.raises(UsageError, match="werkwijze"):
        bad = tmp_path / "w.toml"
        bad.write_text('naam = "x"\ntitel = "x"\nwerkwijze = "raden"\n', "utf-8")
        profiel.load(bad)
    r = run(*args, "--profiel", str(tmp_path / "bestaat-niet.toml"), "--extra-volume", "1")
    assert r.exit_code == 2 and "bestaat niet" in r.stderr


# ---------------------------------------------------------------- batch

KOP = ("regio;verwijzer;ingangsdatum;einddatum;volume;eenheid;frequentie;nieuwe_einddatum;"
       "extra_volume;eerder_verschoven\n")
RIJEN = [
    "hart-van-brabant;toegang;2026-01-01;2026-12-31;100;4;6;2027-05-31;30;\n",
    "hart-van-brabant;toegang;2026-01-01;2026-12-31;100;04;6;;50;\n",
    "flevoland;medisch;01-01-2026;30-06-2026;3000;01;6;30-09-2026;;nee\n",
    "hart-van-brabant;toegang;2026-01-01;2026-12-31;veel;04;6;;10;\n",
]


def test_batch_csv_to_xlsx_reports_invalid_rows(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    src = tmp_path / "verzoeken.csv"
    src.write_text(KOP + "".join(RIJEN), "utf-8")
    out = tmp_path / "uitkomsten.xlsx"
    # Peildatum before row 3's einddatum (2026-06-30): an ended Flevoland toewijzing is refused.
    r = run("verlenging", "--batch", str(src), "-o", str(out), "--today", "2026-06-01")
    assert r.exit_code == 1, r.output
    assert "rij 5" in r.stderr and "kolom volume" in r.stderr
    assert "rij 5: rij 5" not in r.stderr
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    kop = list(rows[0])
    assert kop[:10] == KOP.strip().split(";") and "route" in kop and "fout" in kop
    assert len(rows) == 5
    route, fout = kop.index("route"), kop.index("fout")
    assert [row[route] for row in rows[1:]] == ["backoffice", "toegang", "backoffice", None]
    assert rows[4][fout] and rows[1][kop.index("uitkomst_volume")] == 130
    # No overwrite without --force, never the input file.
    r = run("verlenging", "--batch", str(src), "-o", str(out))
    assert r.exit_code == 2 and "--force" in r.stderr
    assert run("verlenging", "--batch", str(src), "-o", str(out), "--force").exit_code == 1
    r = run("verlenging", "--batch", str(src), "-o", str(src), "--force")
    assert r.exit_code == 2 and "invoerbestand" in r.stderr
    assert src.read_text("utf-8") == KOP + "".join(RIJEN)


def test_batch_xlsx_in_csv_out_all_within_exit_0(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Verzoeken"
    ws.append(["Verwijzer", "Ingangsdatum", "Einddatum", "Volume", "Eenheid", "Frequentie",
               "Nieuwe einddatum", "Extra volume"])
    ws.append(["toegang", dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31), 100, 4, 6,
               dt.datetime(2027, 5, 31), 30])
    ws.append(["gi", "2026-01-01", "2026-12-31", 200, "14", "6", "2026-03-31", None])
    src = tmp_path / "in.xlsx"
    wb.save(src)
    out = tmp_path / "uit.csv"
    r = run("verlenging", "--regio", "hart-van-brabant", "--batch", str(src), "-o", str(out))
    assert r.exit_code == 0, r.output
    import csv

    kop, rij1, rij2 = list(csv.reader(out.read_text("utf-8").splitlines()))
    assert rij1[kop.index("uitkomst_einddatum")] == "2027-05-31"
    # Excel dates in the input columns are written as dates too, not as 2026-01-01T00:00:00.
    assert rij1[kop.index("Ingangsdatum")] == "2026-01-01"
    assert rij2[kop.index("berichten")] == "JW307 JW301"
    assert rij2[kop.index("uitkomst_volume")] == "90"
    assert not list(tmp_path.glob(".uit.csv.*"))  # temp file gone


def test_batch_bad_cell_named_and_json(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["regio", "verwijzer", "ingangsdatum", "einddatum", "volume", "eenheid",
               "frequentie", "extra_volume"])
    ws.append(["hart-van-brabant", "toegang", "2026-01-01", "31-06-2026", 100, "04", "6", 5])
    ws.append(["hart-van-brabant", "toegang", "2026-01-01", "2026-12-31", 100, "04", "6", 5])
    src = tmp_path / "in.xlsx"
    wb.save(src)
    r = run("verlenging", "--batch", str(src), "--format", "json", "--today", "2026-06-01")
    assert r.exit_code == 1
    d = json.loads(r.stdout)
    assert d["summary"] == {"verzoeken": 2, "binnen": 1, "buiten": 0, "fout": 1}
    assert d["results"][0]["fout"].startswith("Sheet!D2")
    assert d["findings"][0]["rij"] == 2 and "Sheet!D2" in d["findings"][0]["message"]
    assert d["results"][1]["uitkomst"]["toewijzing"]["volume"] == 105


def test_batch_usage_errors(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("verwijzer;volume\ntoegang;1\n", "utf-8")
    r = run("verlenging", "--batch", str(src), "-o", str(tmp_path / "u.csv"))
    assert r.exit_code == 2 and "ingangsdatum" in r.stderr and "regio" in r.stderr
    r = run("verlenging", "--batch", str(tmp_path / "nee.csv"), "-o", str(tmp_path / "u.csv"))
    assert r.exit_code == 2 and "bestaat niet" in r.stderr
    (tmp_path / "x.txt").write_text("a", "utf-8")
    r = run("verlenging", "--batch", str(tmp_path / "x.txt"), "-o", str(tmp_path / "u.csv"))
    assert r.exit_code == 2 and ".xlsx of .csv" in r.stderr
    kapot = tmp_path / "kapot.xlsx"
    kapot.write_bytes(b"geen zip")
    r = run("verlenging", "--batch", str(kapot), "-o", str(tmp_path / "u.csv"))
    assert r.exit_code == 2 and "Excel" in r.stderr and "Traceback" not in r.output


def test_help_has_example_that_runs() -> None:
    import shlex

    r = run("verlenging", "--help")
    assert r.exit_code == 0 and "Example" in r.stdout
    # The example, as shown (continued lines end in a backslash), is the seed example: exit 0.
    na = r.stdout.split("Example", 1)[1].split("ijwcli ", 1)[1]
    regels = []
    for regel in na.splitlines():
        regel = regel.strip()
        regels.append(regel.rstrip("\\").strip())
        if not regel.endswith("\\"):
            break
    args = shlex.split(" ".join(regels))
    assert args[0] == "verlenging" and "--ingangsdatum" in args
    uit = run(*args, "--json")
    assert uit.exit_code == 0, uit.output
    assert uitkomst(uit.stdout)["toewijzing"]["volume"] == 130


def test_text_panel_shows_brackets_in_profile_texts_literally(tmp_path: Path) -> None:
    # Profile texts and quoted cell values are printed as text, never read as Rich markup.
    src = Path(profiel.__file__).parent / "profielen" / "hart-van-brabant.toml"
    eigen = tmp_path / "eigen.toml"
    eigen.write_text(src.read_text("utf-8").replace('titel = "Regio Hart van Brabant"',
                                                    'titel = "Regio [/red] [bold]X"'), "utf-8")
    args = [a for a in BASIS if a not in ("--regio", "hart-van-brabant")]
    r = run(*args, "--profiel", str(eigen), "--extra-volume", "10")
    assert r.exit_code == 0, r.output
    assert "Regio [/red] [bold]X" in r.stdout


def test_batch_cell_with_brackets_and_codes_typed_loosely(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(KOP + "hart-van-brabant;toegang;2026-01-01;2026-12-31;[/red];04;6;;10;\n"
                   "hart-van-brabant;toegang;2026-01-01;2026-12-31;100;4;06;;10;\n"
                   "hart-van-brabant;toegang;2026-01-01;2025-12-31;100;4;6;;10;\n", "utf-8")
    r = run("verlenging", "--batch", str(src), "--format", "json", "--today", "2026-10-01")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert "rij 2: in.csv:2 kolom volume: '[/red]' is geen geheel getal" in r.stderr
    assert "rij 4: einddatum 2025-12-31 ligt vóór" in r.stderr  # the row named once
    assert "rij 4: rij 4" not in r.stderr
    d = json.loads(r.stdout)
    assert d["results"][1]["uitkomst"]["toewijzing"]["frequentie"] == "6"  # 06 read as 6


def test_batch_terugval_column_named_like_the_option(tmp_path: Path) -> None:
    # --terugval on the command line; the column may be called terugval or hervatting.
    for kolom in ("terugval", "hervatting"):
        src = tmp_path / f"{kolom}.csv"
        src.write_text("regio;verwijzer;ingangsdatum;einddatum;volume;eenheid;frequentie;"
                       f"{kolom}\nflevoland;medisch;2026-01-01;2026-06-30;3000;01;6;2026-09-15\n",
                       "utf-8")
        r = run("verlenging", "--batch", str(src), "--format", "json")
        assert r.exit_code == 0, r.output
        u = json.loads(r.stdout)["results"][0]["uitkomst"]
        assert u["berichten"] == ["JW315", "JW301"]
        assert u["toewijzing"] == {"ingangsdatum": "2026-09-15", "einddatum": "2026-12-14",
                                   "volume": 1000, "eenheid": "01", "frequentie": "6"}


def test_batch_today_column_named_like_the_option(tmp_path: Path) -> None:
    # --today on the command line; a column "today" is the row's peildatum, like "peildatum".
    for kolom in ("today", "peildatum"):
        src = tmp_path / f"{kolom}.csv"
        src.write_text("regio;verwijzer;ingangsdatum;einddatum;volume;eenheid;frequentie;"
                       f"nieuwe_einddatum;extra_volume;{kolom}\nhart-van-brabant;toegang;"
                       "2026-01-01;2026-12-31;100;04;6;2027-05-31;30;2027-02-01\n", "utf-8")
        r = run("verlenging", "--batch", str(src), "--format", "json", "--today", "2026-10-01")
        assert r.exit_code == 1, r.output
        toetsen = json.loads(r.stdout)["results"][0]["uitkomst"]["toetsen"]
        assert toetsen[0]["regel"] == "jeugdhulp_loopt" and toetsen[0]["waarde"] == "2027-02-01"


def test_batch_near_miss_column_is_an_error_naming_both(tmp_path: Path) -> None:
    # extra_volum (one edit from extra_volume) counted as no extra volume: 45 % on 100 uur was
    # approved (route backoffice) where the real column refuses it (route toegang).
    kop = ("regio;verwijzer;ingangsdatum;einddatum;volume;eenheid;frequentie;nieuwe_einddatum;"
           "{extra};client\n")
    rij = "hart-van-brabant;toegang;2026-01-01;2026-12-31;100;4;6;2027-05-31;45;Sanne\n"
    src = tmp_path / "verzoeken.csv"
    src.write_text(kop.format(extra="extra_volum") + rij, "utf-8")
    uit = tmp_path / "uit.csv"
    r = run("verlenging", "--batch", str(src), "-o", str(uit), "--today", "2026-10-01")
    assert r.exit_code == 2 and not uit.exists()
    assert "kolom 'extra_volum' wordt niet gelezen maar lijkt op kolom 'extra_volume'" in r.stderr
    assert "--negeer-kolom extra_volum" in r.stderr
    # Kept on purpose: not read, not warned about; an unrelated column is still named.
    r = run("verlenging", "--batch", str(src), "--format", "json", "--today", "2026-10-01",
            "--negeer-kolom", "extra_volum")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [f["message"] for f in doc["findings"]] == ["kolom 'client' wordt niet gelezen"]
    assert "extra_volum" not in r.stderr
    src.write_text(kop.format(extra="extra_volume") + rij, "utf-8")
    r = run("verlenging", "--batch", str(src), "--format", "json", "--today", "2026-10-01")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["results"][0]["uitkomst"]["route"] == "toegang"
