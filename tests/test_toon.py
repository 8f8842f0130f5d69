"""``ijwcli toon`` (issue 16): every reference message and sample in the terminal, as HTML and
as PDF; the HTML opened in a real headless Chromium (screenshot not blank, text checked), the
PDF's text read back; BSN masking, invalid and unreadable messages, retour beside heen.

Two reference messages break a rule, JW317 CS003 (an Einddatum before the
GewensteIngangsdatum) and JW323 TR101 (a prestatie twice): they are shown with that finding on
top, which the test checks too.
"""

from __future__ import annotations

import html as htmllib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ijwcli import toon
from ijwcli.cli import app
from ijwcli.toon import html, pdf
from ijwcli.toon.terminal import weergave
from ijwcli.toon.weergave import Pagina, lees_bestand, lees_bytes

from .conftest import IJW, SAMPLES

runner = CliRunner()
VOORBEELDEN = IJW / "voorbeelden"
BERICHTEN = sorted(SAMPLES.glob("*.xml")) + (sorted(VOORBEELDEN.glob("*.xml"))
                                              if VOORBEELDEN.is_dir() else [])
# The two reference messages that break a rule (see ../shared/README.md): shown with it on top.
BREKEN = {"JW317": "CS003", "JW323": "TR101"}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_OPTIES = ["--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--disable-quic", "--no-first-run",
                   "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def _plat(tekst: str) -> str:
    """Whitespace collapsed: wrapped lines in the terminal and the PDF read as one."""
    return re.sub(r"\s+", " ", tekst)


def verwacht(p: Pagina) -> list[str]:
    """What a reader must find: the type, each client, each product code, and every meaning
    written out beside a code (Eenheid, Frequentie, RedenWijziging, RetourCode, …)."""
    uit = [p.titel]
    uit += p.clienten
    for b in p.alle_blokken():
        for v in b.velden:
            if v.label in ("Product", "ProductCode"):
                uit.append(v.waarde)
            if v.betekenis:
                uit.append(v.betekenis)
        uit += [f"{r.code}" for r in b.retourcodes] + [r.betekenis for r in b.retourcodes]
    for m in p.meldingen:
        uit.append(m.regel)
    return [_plat(x) for x in uit if x]


def _ontbreekt(tekst: str, p: Pagina) -> list[str]:
    plat = _plat(tekst)
    return [x for x in verwacht(p) if x not in plat]


def _terminal(p: Pagina, breedte: int = 200) -> str:
    from rich.console import Console

    c = Console(width=breedte, record=True, file=io.StringIO())
    c.print(weergave(p, breedte))
    return c.export_text()


def _pdf_tekst(data: bytes) -> str:
    import pypdf

    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def _dom_tekst(dom: str) -> str:
    zonder = re.sub(r"<style.*?</style>", " ", dom, flags=re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", zonder))


def test_er_zijn_berichten_van_elk_type() -> None:
    codes = {lees_bestand(str(f)).code for f in BERICHTEN}
    assert len(codes) == 14, codes


@pytest.mark.parametrize("bestand", BERICHTEN, ids=lambda f: f"{f.parent.name}/{f.name}")
def test_elk_bericht_in_drie_vormen(bestand: Path) -> None:
    p = lees_bestand(str(bestand))
    assert p.code and p.kop is not None  # a rejected retourbericht (0001) has no body
    assert verwacht(p)[1:], "niets om te controleren"
    if bestand.parent == VOORBEELDEN and p.code in BREKEN:
        assert [m.regel for m in p.meldingen] == [BREKEN[p.code]] and not p.geldig
    else:
        assert p.geldig, p.meldingen
    assert not _ontbreekt(_terminal(p), p)
    pagina = html.document([p])
    assert not _ontbreekt(_dom_tekst(pagina), p)
    assert not _ontbreekt(_pdf_tekst(pdf.document([p])), p)


def test_codes_en_betekenissen_van_de_jw301() -> None:
    p = lees_bestand(str(SAMPLES / "jw301_toewijzing.xml"))
    velden = {v.label: v for b in p.alle_blokken() for v in b.velden}
    assert velden["Afzender"].betekenis == "Tilburg"  # CBS gemeentenaam of 0855
    assert velden["Omvang"].betekenis == ("Eenheid 04 = Uur; Frequentie 6 = Totaal binnen "
                                          "geldigheidsduur toewijzing")
    assert velden["Ingangsdatum"].waarde == "01-03-2026"
    assert velden["Looptijd"].waarde == "12 maanden"
    assert velden["Geslacht"].betekenis == "Vrouwelijk"
    assert velden["Product"].betekenis == "categorie 45 = Jeugdhulp ambulant"


def test_bedragen_in_euro_en_retourcodes_bij_hun_klasse(ijw: Path) -> None:
    p = lees_bestand(str(ijw / "voorbeelden" / "JW325.xml"))
    velden = [v for b in p.alle_blokken() for v in b.velden]
    assert any(v.label == "ProductTarief" and v.waarde == "€ 12,50" for v in velden)
    prestaties = [b for b in p.alle_blokken() if b.titel.startswith("Prestatie")]
    codes = {r.code: r.betekenis for b in prestaties for r in b.retourcodes}
    assert codes["0611"].startswith("Het ingediende tarief komt niet overeen")
    assert "9339" in codes and all(not b.startswith("onbekend") for b in codes.values())


def test_retour_naast_heen() -> None:
    paginas = toon.lees([SAMPLES / "jw323_declaratie.xml", SAMPLES / "jw301_toewijzing.xml",
                         SAMPLES / "jw325_declaratie_antwoord.xml",
                         SAMPLES / "jw302_retour_toewijzing.xml"])
    assert [(p.code, p.heen.code if p.heen else None) for p in paginas] == [
        ("JW325", "JW323"), ("JW302", "JW301")]
    h = html.document(paginas)
    assert h.count('class="naast"') == 2 and "Heen-bericht" in h
    assert "heen-bericht" in _terminal(paginas[1], 200)
    tekst = _pdf_tekst(pdf.document(paginas))
    assert "Heen-bericht bij JW302" in tekst and "JW301 Toewijzing Jeugdhulp" in tekst
    # without the heen-bericht the retourbericht stands alone
    assert toon.lees([SAMPLES / "jw302_retour_toewijzing.xml"])[0].heen is None


def test_ongeldig_bericht_zo_ver_leesbaar_met_bevindingen_bovenaan() -> None:
    data = (SAMPLES / "jw301_toewijzing.xml").read_bytes()
    data = data.replace(b"<jw301:Bsn>999900018", b"<jw301:Bsn>123456789").replace(
        b"<ijw:Eenheid>04<", b"<ijw:Eenheid>77<")
    p = lees_bytes(data, "kapot.xml")
    assert not p.geldig and {"CS002"} <= {m.regel for m in p.meldingen}
    assert "Sanne van Dijk" in p.clienten
    h = html.document([p])
    assert h.index("Bevindingen") < h.index("Sanne van Dijk")
    assert "Eenheid 77 = onbekende code" in h
    t = _terminal(p)
    assert t.index("Bevindingen") < t.index("Cliënt Sanne van Dijk")
    assert "Bevindingen" in _pdf_tekst(pdf.document([p]))


@pytest.mark.parametrize("data", [b"", b"<kapot", b"\xef\xbb\xbf<a/>", b"<a>geen ijw</a>"])
def test_onleesbaar_bestand_geeft_een_pagina_met_alleen_bevindingen(data: bytes) -> None:
    p = lees_bytes(data, "x.xml")
    assert p.code is None and p.meldingen and not p.blokken
    assert "onleesbaar bericht" in html.document([p])
    assert _pdf_tekst(pdf.document([p]))


def test_mask_bsn_overal(tmp_path: Path) -> None:
    r = runner.invoke(app, ["toon", str(SAMPLES), "--mask-bsn", "--html", str(tmp_path / "a"),
                            "--pdf", str(tmp_path / "a.pdf")])
    assert r.exit_code == 0, r.output
    teksten = [f.read_text("utf-8") for f in (tmp_path / "a").iterdir()]
    teksten.append(_pdf_tekst((tmp_path / "a.pdf").read_bytes()))
    r = runner.invoke(app, ["toon", str(SAMPLES), "--mask-bsn"])
    teksten.append(r.stdout)
    for t in teksten:
        assert "999900018" not in t
    assert all("9999*****" in t for t in teksten[-2:])  # the PDF and the terminal
    # a BSN quoted in a finding is masked too
    data = (SAMPLES / "jw305_start.xml").read_bytes().replace(b">999900018<", b">123456789<")
    p = lees_bytes(data, "x.xml", masker=True)
    assert p.meldingen and not any("123456789" in m.tekst for m in p.meldingen)


def test_cli_html_map_en_pdf_bestand(tmp_path: Path) -> None:
    r = runner.invoke(app, ["toon", str(SAMPLES), "--html", str(tmp_path / "html"),
                            "--pdf", str(tmp_path / "alles.pdf")])
    assert r.exit_code == 0, r.output
    namen = sorted(f.name for f in (tmp_path / "html").iterdir())
    assert "index.html" in namen and len(namen) == 8  # 7 retour pages with their heen
    index = (tmp_path / "html" / "index.html").read_text("utf-8")
    for naam in namen:
        if naam != "index.html":
            assert f'href="{naam}"' in index
    assert (tmp_path / "alles.pdf").read_bytes()[:5] == b"%PDF-"
    # nothing is overwritten without --force, nothing half-written
    r = runner.invoke(app, ["toon", str(SAMPLES / "jw305_start.xml"), "--html",
                            str(tmp_path / "html"), "--pdf", str(tmp_path / "nieuw.pdf")])
    assert r.exit_code == 2 and "--force" in r.stderr
    assert not (tmp_path / "nieuw.pdf").exists()


def test_cli_exit_1_voor_ongeldig_en_json(tmp_path: Path, ijw: Path) -> None:
    import jsonschema

    from ijwcli.cli import uitvoer

    r = runner.invoke(app, ["toon", str(ijw / "voorbeelden" / "JW317.xml"), "-f", "json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    jsonschema.validate(doc, uitvoer.schema("toon"))
    assert doc["findings"][0]["rule"] == "CS003" and doc["results"][0]["valid"] is False
    r = runner.invoke(app, ["toon", str(tmp_path / "bestaat-niet.xml")])
    assert r.exit_code == 2


def test_pdf_zonder_fpdf2_noemt_het_pip_commando(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "fpdf", None)  # import fpdf now raises ImportError
    r = runner.invoke(app, ["toon", str(SAMPLES / "jw301_toewijzing.xml"), "--pdf",
                            str(tmp_path / "a.pdf"), "--html", str(tmp_path / "a.html")])
    assert r.exit_code == 2
    assert "pip install 'ijwcli[pdf]'" in r.stderr
    assert not list(tmp_path.iterdir())  # the HTML was not written either
    assert "ijwcli[pdf]" in runner.invoke(app, ["toon", "--help"]).stdout


def test_html_heeft_geen_externe_bronnen() -> None:
    h = html.document(toon.lees([SAMPLES]))
    assert "<script" not in h.lower()
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#|[\w.-]+\.html)""", h)
    assert "url(" not in h and "@import" not in h and "@media print" in h


# --- in a real browser ----------------------------------------------------------------------

def _chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium ontbreekt in CI (.ci/run installeert het)")
        pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")
    profiel = tmp / f"profiel-{len(list(tmp.iterdir()))}"
    return subprocess.run([CHROMIUM, *CHROMIUM_OPTIES, f"--user-data-dir={profiel}", *args],
                          capture_output=True, timeout=120)


def _niet_leeg(png: Path) -> None:
    from PIL import Image

    with Image.open(png) as im:
        grijs = im.convert("L")
        w, h = grijs.size
        kleuren = grijs.getcolors(maxcolors=256 * 256) or []
        donker = sum(n for n, waarde in kleuren if waarde < 128)
    assert w >= 800 and h >= 800
    # Text and bars, not a white (or black) sheet: a real share of dark pixels, many shades.
    assert 0.005 < donker / (w * h) < 0.5, donker / (w * h)
    assert len(kleuren) > 20


def test_html_in_chromium(tmp_path: Path) -> None:
    paginas = toon.lees(BERICHTEN)
    alles = tmp_path / "alles.html"
    alles.write_text(html.document(paginas), "utf-8")
    r = _chromium(tmp_path, "--dump-dom", alles.as_uri())
    assert r.returncode == 0, r.stderr[-2000:]
    tekst = _dom_tekst(r.stdout.decode("utf-8"))
    for p in paginas:
        for q in (p.heen, p) if p.heen else (p,):
            assert not _ontbreekt(tekst, q), (q.bestand, _ontbreekt(tekst, q))
    jw301 = tmp_path / "jw301.html"
    jw301.write_text(html.document(toon.lees([SAMPLES / "jw301_toewijzing.xml"])), "utf-8")
    png = tmp_path / "jw301.png"
    r = _chromium(tmp_path, f"--screenshot={png}", "--window-size=1100,1400", jw301.as_uri())
    assert r.returncode == 0 and png.exists(), r.stderr[-2000:]
    _niet_leeg(png)


# --- with the register (issue 12) -----------------------------------------------------------

def test_register_geeft_het_heen_bericht(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ijwcli.register import open_register

    db = tmp_path / "reg.db"
    with open_register(str(db)) as reg:
        reg.add([SAMPLES / "jw301_toewijzing.xml", SAMPLES / "jw323_declaratie.xml"],
                richting="uit")
    retouren = [str(SAMPLES / "jw302_retour_toewijzing.xml"),
                str(SAMPLES / "jw325_declaratie_antwoord.xml")]
    r = runner.invoke(app, ["toon", *retouren, "--db", str(db), "--html",
                            str(tmp_path / "a.html"), "-f", "json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert [x["heen"] for x in doc["results"]] == [
        "register: JW301 T2026030201 van 2026-03-02", "register: JW323 D2026040201 van 2026-04-02"]
    h = (tmp_path / "a.html").read_text("utf-8")
    assert h.count('class="naast"') == 2 and "Totaal binnen geldigheidsduur toewijzing" in h
    # --register finds the register where IJWCLI_DB points; without it, no heen-bericht
    monkeypatch.setenv("IJWCLI_DB", str(db))
    r = runner.invoke(app, ["toon", retouren[0], "--register", "-f", "json"])
    assert json.loads(r.stdout)["results"][0]["heen"].startswith("register: JW301")
    r = runner.invoke(app, ["toon", retouren[0], "-f", "json"])
    assert json.loads(r.stdout)["results"][0]["heen"] is None


def test_register_dat_er_niet_is_wordt_niet_gemaakt(tmp_path: Path) -> None:
    r = runner.invoke(app, ["toon", str(SAMPLES / "jw302_retour_toewijzing.xml"), "--db",
                            str(tmp_path / "nergens" / "reg.db")])
    assert r.exit_code == 2 and "bestaat niet" in r.stderr
    assert not (tmp_path / "nergens").exists()


def test_afdrukken_een_bericht_per_blad(tmp_path: Path) -> None:
    """The print CSS: Chromium's own print to PDF puts each message on its own sheet."""
    import pypdf

    namen = ["jw301_toewijzing.xml", "jw305_start.xml", "jw319_antwoord.xml"]
    pagina = tmp_path / "drie.html"
    pagina.write_text(html.document(toon.lees([SAMPLES / n for n in namen])), "utf-8")
    uit = tmp_path / "drie.pdf"
    r = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={uit}", pagina.as_uri())
    assert r.returncode == 0 and uit.exists(), r.stderr[-2000:]
    bladen = [p.extract_text() for p in pypdf.PdfReader(uit).pages]
    assert [b.split()[0] for b in bladen] == ["JW301", "JW305", "JW319"]
