"""The summary workbook of a :func:`ijwcli.verwerk.verwerk` run (XlsxWriter).

Two sheets: ``Verwerkt`` (one row per inbox file: bericht, Identificatie, status, answer,
retourcodes, number of findings) and ``Bevindingen`` (one row per finding, with the earlier
message it concerns). Written whole or not at all.

>>> import tempfile
>>> from pathlib import Path
>>> from ijwcli.verwerk import Uitkomst, Verslag
>>> p = Path(tempfile.mkdtemp()) / "verslag.xlsx"
>>> schrijf(Verslag([Uitkomst("in/a.xml", "ingelezen", "JW306", "R1")]), p)
>>> import openpyxl
>>> [c.value for c in openpyxl.load_workbook(p)["Verwerkt"][2]][:4]
['in/a.xml', 'JW306', 'R1', 'ingelezen']
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

KOLOMMEN = ("bestand", "bericht", "identificatie", "status", "richting", "antwoord",
            "retourcodes", "bevindingen", "archief", "reden")
BEVINDING = ("bestand", "code", "retourcode", "lijn", "element", "melding", "betreft")


def schrijf(verslag: Any, doel: Path, force: bool = True) -> None:
    """Write the workbook to ``doel`` atomically (the caller checked ``--force`` first)."""
    import xlsxwriter

    from ijwcli.bestanden import schrijf_atomair

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    kop = wb.add_format({"bold": True, "bg_color": "#DDEBF7"})
    rijen = [[u.bron, u.bericht, u.identificatie, u.status, u.richting,
              str(u.antwoord) if u.antwoord else None, ", ".join(u.retourcodes),
              len(u.bevindingen), str(u.archief) if u.archief else None, u.reden]
             for u in verslag.uitkomsten]
    fouten = [[u.bron, b.rule, b.retourcode, b.line, b.path, b.message, b.betreft]
              for u in verslag.uitkomsten for b in u.bevindingen]
    for naam, kolommen, data in (("Verwerkt", KOLOMMEN, rijen),
                                 ("Bevindingen", BEVINDING, fouten)):
        ws = wb.add_worksheet(naam)
        ws.write_row(0, 0, kolommen, kop)
        for i, rij in enumerate(data, 1):
            for j, waarde in enumerate(rij):
                if waarde is None:
                    continue
                # Text stays text (an Identificatie of digits, a code with a leading zero).
                if isinstance(waarde, int):
                    ws.write_number(i, j, waarde)
                else:
                    ws.write_string(i, j, str(waarde))
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(data), 1), len(kolommen) - 1)
        for j, k in enumerate(kolommen):
            breed = max([len(k), *(len(str(r[j] or "")) for r in data[:500])])
            ws.set_column(j, j, min(60, breed + 2))
    wb.close()
    schrijf_atomair(Path(doel), buf.getvalue(), force=True)
