"""A blank workbook for one message type: the sheets of its layout, ready to fill in.

Dropdowns come from the code lists, each column has an input hint (type, format, required or
not), required columns have an orange header and the header row is frozen.

>>> import tempfile, pathlib
>>> p = maak_template("jw315", pathlib.Path(tempfile.mkdtemp()) / "verzoek.xlsx")
>>> from openpyxl import load_workbook
>>> load_workbook(p, read_only=True).sheetnames
['JW315 Bericht', 'JW315 AangevraagdeProducten', 'Codelijsten']
"""

from __future__ import annotations

import os
from pathlib import Path

from ijwcli.errors import UsageError
from ijwcli.model.berichten import get


def maak_template(code: str, path: str | os.PathLike[str], force: bool = False) -> Path:
    """Write the blank workbook for ``code`` (``JW315``, ``jw315`` or ``446``) to ``path``."""
    from ijwcli.excel.schrijven import Werkboek

    try:
        d = get(code)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    if Path(path).suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: de uitvoer moet op .xlsx eindigen")
    wb = Werkboek()
    wb.leeg(d.code)
    return wb.opslaan(path, force)
