"""The configuration file ``ijwcli.toml``: who we are and where our things are.

Every command takes its defaults from it; options on the command line override. The file is
looked for in this order, the first that exists wins:

1. the path given to :func:`laad_config` (``--config``), else ``IJWCLI_CONFIG``;
2. ``ijwcli.toml`` in the working folder;
3. ``ijwcli.toml`` in the user's configuration folder (platformdirs: ``~/.config/ijwcli/``).

Keys (all optional)::

    rol = "gemeente"          # or "aanbieder": which side of the traffic we are
    code = "0855"             # own gemeentecode (4 digits) or AGB-code (8 digits)
    regio = "hart-van-brabant"
    db = "register.db"        # the register: a file (relative to this file) or a URL
    sjabloon = "mijn-jw301.toml"
    teller = "nummers.txt"
    tarieven = "tarieven.csv"   # contract tariffs (TR418) for the declaratie-antwoord
    archief = "archief"       # ijwcli verwerk: where processed inbox files go (else they stay)
    jw325 = "ja"              # ijwcli verwerk: a JW325 for each declaratie ("ja" or "nee")

    [waarden]                 # defaults for template placeholders (generate), asked last:
    plaatsnaam = "Tilburg"    # after --waarde, the data row and the register

``code`` also stands for the ``{gemeente}`` (rol gemeente) or ``{aanbieder}`` (rol aanbieder)
placeholder of a template (:meth:`Config.plaatshouders`).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "ijwcli.toml").write_text('rol = "gemeente"\\ncode = "0855"\\ndb = "reg.db"\\n')
>>> c = laad_config(str(d / "ijwcli.toml"))
>>> c.rol, c.code, c.db == str(d / "reg.db"), c.bron("rol"), c.bron("regio")
('gemeente', '0855', True, '...ijwcli.toml', 'standaard')
>>> _ = (d / "w.toml").write_text('code = "0855"\\n[waarden]\\nplaatsnaam = "Tilburg"\\n')
>>> laad_config(str(d / "w.toml")).plaatshouders()
{'plaatsnaam': 'Tilburg', 'gemeente': '0855'}
>>> _ = (d / "fout.toml").write_text('rol = "gemeente"\\nrool = "x"\\n')
>>> laad_config(str(d / "fout.toml"))
Traceback (most recent call last):
    ...
ijwcli.errors.UsageError: ...fout.toml regel 2: onbekende sleutel 'rool' (bedoeld: rol?)
"""

from __future__ import annotations

import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ijwcli.errors import UsageError

BESTANDSNAAM = "ijwcli.toml"
SLEUTELS = ("rol", "code", "regio", "db", "sjabloon", "teller", "tarieven", "archief", "jw325")
# Values that are paths are read relative to the file that names them, not to wherever the
# command happens to run.
PADEN = ("db", "sjabloon", "teller", "tarieven", "archief")
ROLLEN = ("gemeente", "aanbieder")


@dataclass
class Config:
    """The effective configuration; :meth:`bron` says where each value came from."""

    rol: str | None = None
    code: str | None = None
    regio: str | None = None
    db: str | None = None
    sjabloon: str | None = None
    teller: str | None = None
    tarieven: str | None = None
    archief: str | None = None
    jw325: str | None = None
    waarden: dict[str, str] = field(default_factory=dict)   # the [waarden] table
    bestand: str | None = None          # the file read, if any
    _bronnen: dict[str, str] = field(default_factory=dict, repr=False)

    def bron(self, sleutel: str) -> str:
        """Where the value of ``sleutel`` came from: the file's path, or ``standaard``."""
        return self._bronnen.get(sleutel, "standaard")

    def instellingen(self) -> dict[str, str | None]:
        return {k: getattr(self, k) for k in SLEUTELS}

    def plaatshouders(self) -> dict[str, str]:
        """Values for template placeholders: the ``[waarden]`` table, and the own ``code`` as
        ``gemeente`` or ``aanbieder`` (by ``rol``, else by its length)."""
        uit = dict(self.waarden)
        if self.code:
            rol = self.rol or ("gemeente" if len(self.code) == 4 else "aanbieder")
            uit.setdefault(rol, self.code)
        return uit


def gebruikersmap() -> Path:
    """The user's configuration folder for ijwcli."""
    if sys.platform not in ("win32", "darwin"):
        # platformdirs' own XDG rule, without importing it: validate reads the configuration
        # on every call (is a register configured?) and must start fast.
        xdg = os.environ.get("XDG_CONFIG_HOME", "").strip()
        return Path(xdg if xdg else Path.home() / ".config") / "ijwcli"
    import platformdirs

    return Path(platformdirs.user_config_dir("ijwcli", appauthor=False))


def datamap() -> Path:
    """The user's data folder for ijwcli (where the default register lives)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("ijwcli", appauthor=False))


def vind_bestand(pad: str | None = None) -> tuple[Path | None, str]:
    """The configuration file to read and how it was found (``IJWCLI_CONFIG``, ...)."""
    if pad:
        return Path(pad), "--config"
    env = os.environ.get("IJWCLI_CONFIG")
    if env:
        return Path(env), "IJWCLI_CONFIG"
    hier = Path.cwd() / BESTANDSNAAM
    if hier.is_file():
        return hier, f"./{BESTANDSNAAM}"
    thuis = gebruikersmap() / BESTANDSNAAM
    if thuis.is_file():
        return thuis, str(thuis)
    return None, "standaard"


def _regel(tekst: str, sleutel: str) -> int | None:
    m = re.search(rf"^[ \t]*{re.escape(sleutel)}[ \t]*=", tekst, re.MULTILINE)
    return tekst.count("\n", 0, m.start()) + 1 if m else None


def laad_config(pad: str | None = None) -> Config:
    """Read the configuration file (see the module docstring); no file is no error.

    A file named explicitly (argument or ``IJWCLI_CONFIG``) must exist. A bad file is a
    :class:`UsageError` naming the file, the line and the key.
    """
    bestand, hoe = vind_bestand(pad)
    if bestand is None:
        return Config()
    try:
        tekst = bestand.read_text("utf-8")
    except FileNotFoundError:
        raise UsageError(f"configuratiebestand bestaat niet (via {hoe})",
                         where=str(bestand)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"configuratiebestand is niet te lezen: {exc}", where=str(bestand)) \
            from None
    import tomllib  # here: a run that reads no TOML text does not pay for the parser

    try:
        data = tomllib.loads(tekst)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        waar = f"{bestand} regel {m.group(1)}" if m else str(bestand)
        raise UsageError(f"geen geldige TOML: {exc}", where=waar) from None

    def fout(sleutel: str, reden: str) -> UsageError:
        n = _regel(tekst, sleutel)
        return UsageError(reden, where=f"{bestand} regel {n}" if n else str(bestand))

    c = Config(bestand=str(bestand))
    for sleutel, waarde in data.items():
        if sleutel == "waarden":
            c.waarden = _waarden_tabel(waarde, fout)
            c._bronnen["waarden"] = str(bestand)
            continue
        if sleutel not in SLEUTELS:
            bedoeld = difflib.get_close_matches(sleutel, SLEUTELS, 1)
            hint = (f"bedoeld: {bedoeld[0]}?" if bedoeld else
                    "bekend: " + ", ".join(SLEUTELS) + " en de tabel [waarden]")
            raise fout(sleutel, f"onbekende sleutel {sleutel!r} ({hint})")
        if not isinstance(waarde, str) or not waarde.strip():
            raise fout(sleutel, f"{sleutel} moet een niet-lege tekst zijn "
                       "(tussen aanhalingstekens)")
        waarde = waarde.strip()
        if sleutel == "rol" and waarde not in ROLLEN:
            raise fout(sleutel, f"rol {waarde!r} is geen van 'gemeente', 'aanbieder'")
        if sleutel == "jw325" and waarde not in ("ja", "nee"):
            raise fout(sleutel, f"jw325 {waarde!r} is geen van 'ja', 'nee'")
        if sleutel in PADEN and not (sleutel == "db" and "://" in waarde):
            waarde = str((bestand.parent / Path(waarde).expanduser()).resolve())
        setattr(c, sleutel, waarde)
        c._bronnen[sleutel] = str(bestand)
    if c.code is not None:
        verwacht = {"gemeente": 4, "aanbieder": 8}.get(c.rol or "")
        if not c.code.isdigit() or (verwacht and len(c.code) != verwacht) \
                or len(c.code) not in (4, 8):
            soort = {"gemeente": "een gemeentecode van 4 cijfers",
                     "aanbieder": "een AGB-code van 8 cijfers"}.get(
                         c.rol or "", "een gemeentecode (4 cijfers) of AGB-code (8 cijfers)")
            raise fout("code", f"code {c.code!r} is geen {soort}")
    return c


def _waarden_tabel(tabel: object, fout: object) -> dict[str, str]:
    """The ``[waarden]`` table: placeholder names (lower case) with text values."""
    if not isinstance(tabel, dict):
        raise fout("waarden", "waarden moet een tabel zijn: [waarden] met regels "  # type: ignore[operator]
                   "naam = \"waarde\"")
    uit: dict[str, str] = {}
    for naam, waarde in tabel.items():
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", naam):
            raise fout(naam, f"[waarden] {naam!r}: een plaatshoudernaam is kleine letters, "  # type: ignore[operator]
                       "cijfers en _ (zoals in {postcode})")
        if isinstance(waarde, bool) or not isinstance(waarde, str | int) or not str(waarde).strip():
            raise fout(naam, f"[waarden] {naam}: geef een niet-lege tekst tussen "  # type: ignore[operator]
                       "aanhalingstekens")
        uit[naam] = str(waarde).strip()
    return uit


def register_ingesteld(db: str | None = None, config: Config | None = None) -> bool:
    """Whether a register is configured: ``--db``, ``IJWCLI_DB`` or ``db`` in ijwcli.toml.
    The default register in the user's data folder does not count: ``validate`` must not
    bring one into being.

    """
    if db or os.environ.get("IJWCLI_DB"):
        return True
    config = config if config is not None else laad_config()
    return bool(config.db)


def register_locatie(db: str | None = None, config: Config | None = None) -> tuple[str, str]:
    """Where the register is and why: ``(path or URL, bron)``.

    ``db`` (the ``--db`` option), else ``IJWCLI_DB``, else the configuration file's ``db``,
    else ``register.db`` in the user's data folder.

    >>> register_locatie("x.db")
    ('x.db', '--db')
    """
    if db:
        return db, "--db"
    env = os.environ.get("IJWCLI_DB")
    if env:
        return env, "IJWCLI_DB"
    if config is None:
        config = laad_config()
    if config.db:
        return config.db, config.bron("db")
    return str(datamap() / "register.db"), "standaard"
