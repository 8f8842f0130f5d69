"""The berichtenregister: every message sent and received, remembered, linked and judged.

SQLite (a file, the default) or PostgreSQL (``postgresql+psycopg://…``) through SQLAlchemy 2;
the schema is brought up to date when the register is opened (:mod:`ijwcli.register.schema`).
Where the register is: the ``db`` argument (``--db URL_OR_PATH``), else ``IJWCLI_DB``, else
``db`` in ``ijwcli.toml``, else ``register.db`` in the user's data folder (platformdirs).

The contract other packages build on (names and signatures stay):

- ``open_register(db=None, config=None) -> Register``
- ``reg.add(paths_or_bytes, richting=None) -> list[ImportResultaat]``: validated as
  ``validate`` does; ``status`` is ``nieuw``, ``al bekend`` or ``geweigerd`` (TR056);
- ``reg.historie(tree_or_bytes) -> list[EerderBericht]``: the earlier messages related to this
  one (same Bsn, ToewijzingNummer, ReferentieAanbieder, ReferentieNummer, DeclaratieNummer,
  the BerichtIdentificatie of a heen-bericht or DeclaratieIdentificatie), oldest first, only
  those already in the register; a message that is itself in the register is judged against
  the messages imported before it;
- ``reg.toewijzing(nummer) -> EerderBericht | None``: the current (latest) valid JW301 with
  that ToewijzingNummer, an intrekking (RedenWijziging 13) included;
- ``reg.toewijzing_historie(nummer) -> list[EerderBericht]``: every valid JW301 for it, oldest
  first; both take ``gemeente=`` to keep to one gemeente's numbers;
- ``reg.laatste_jw301(bsn) -> EerderBericht | None``;
- ``reg.volgend_toewijzingnummer(gemeente) -> int``: atomic, never reused, above every number
  the gemeente's JW301s in the register carry (TR332), safe for two processes at once;
- ``reg.registreer_antwoord(heen_sleutel, antwoord_bytes) -> ImportResultaat``: stores a
  JW325/JW319/retourbericht written by ijwcli (richting ``uit``), linked to what it answers;
- ``reg.antwoorden(code, afzender, identificatie) -> list[EerderBericht]``: the valid
  retourberichten or JW325s already in the register for that heen-bericht (so nothing is
  answered twice), whether or not the heen-bericht itself was imported.

:class:`~ijwcli.validatie.historie.EerderBericht` carries ``sleutel``: the register's id.

>>> import tempfile, pathlib
>>> reg = open_register(str(pathlib.Path(tempfile.mkdtemp()) / "reg.db"))
>>> [(r.status, r.code, r.richting) for r in reg.add("samples/jw301_toewijzing.xml",
...                                                  richting="uit")]
[('nieuw', 'JW301', 'uit')]
>>> reg.add("samples/jw301_toewijzing.xml")[0].status
'al bekend'
>>> from ijwcli.bericht import read_tree
>>> start = read_tree(pathlib.Path("samples/jw305_start.xml").read_bytes())
>>> [e.omschrijving for e in reg.historie(start)]
['JW301 T2026030201 van 2026-03-02']
>>> reg.toewijzing("700001").identificatie, len(reg.toewijzing_historie("700001"))
('T2026030201', 1)
>>> reg.laatste_jw301("999900018").code, reg.toewijzing("999999") is None
('JW301', True)
>>> reg.volgend_toewijzingnummer("0855"), reg.volgend_toewijzingnummer("0855")
(700002, 700003)
>>> jw302 = pathlib.Path("samples/jw302_retour_toewijzing.xml").read_bytes()
>>> reg.registreer_antwoord(reg.toewijzing("700001").sleutel, jw302).status
'nieuw'
>>> [a.identificatie for a in reg.antwoorden("JW301", "0855", "T2026030201")]
['RT2026030201']
>>> [(r["bericht"], r["status"]) for r in reg.lijst(bsn="999900018")]
[('JW301', 'Goedgekeurd'), ('JW302', 'Retour')]
>>> t = reg.client("999900018")["toewijzingen"][0]
>>> t["toewijzingnummer"], t["zorg"], t["actueel"]["volume"]
('700001', 'niet gestart', 100)
>>> reg.info()["berichten"], reg.info()["schema_versie"]
(2, 5)
>>> reg.close()

Queries: ``reg.lijst(bsn=…, bericht=…, status=…, van=…, tot=…, gemeente=…, aanbieder=…)``
(the berichtenoverzicht), ``reg.client(bsn)`` (a client's timeline), ``reg.toon(id)`` (one
message with its chain), ``reg.export(…)`` (the bytes of many), ``reg.info()``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ijwcli.config import Config, laad_config, register_locatie

if TYPE_CHECKING:
    from lxml import etree
    from sqlalchemy import Engine

    from ijwcli.register.importeren import ImportResultaat
    from ijwcli.register.vragen import Filter
    from ijwcli.validatie.historie import EerderBericht


class Register:
    """An open register. Use :func:`open_register`; close with :meth:`close` or ``with``."""

    def __init__(self, engine: Engine, locatie: str, bron: str, config: Config) -> None:
        self.engine = engine
        self.locatie = locatie          # the path or URL as configured
        self.bron = bron                # where that came from (--db, IJWCLI_DB, …)
        self.config = config
        self.schema_was: int = 0        # the schema version found on open

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    @property
    def toon_locatie(self) -> str:
        """The location for people: a URL with its password masked."""
        from ijwcli.register.verbinding import toon_url

        return toon_url(self.locatie)

    # --- import -------------------------------------------------------------------------
    def add(self, paths_or_bytes: Any, richting: str | None = None, *,
            today: dt.date | None = None, voortgang: Any = None,
            bevindingen: list[dict[str, Any]] | None = None,
            eigen: list[dict[str, Any]] | None = None) -> list[ImportResultaat]:
        """Import; ``bevindingen`` (one message as bytes) adds the findings the cross-message
        rules gave it, judged against the register before it: a message they reject is
        stored with them and changes no state (a JW323 keeps its state: its JW325 answers
        each prestatie). ``eigen``: its in-message findings, when just computed."""
        from ijwcli.register.importeren import importeer

        if (bevindingen or eigen is not None) and not isinstance(paths_or_bytes,
                                                                 (bytes, bytearray)):
            raise ValueError("bevindingen horen bij één bericht als bytes")
        return importeer(self.engine, paths_or_bytes, richting, self.config.code, today,
                         voortgang, extra=bevindingen or None, eigen=eigen)

    def registreer_antwoord(self, heen_sleutel: str | int, antwoord_bytes: bytes
                            ) -> ImportResultaat:
        from ijwcli.errors import UsageError
        from ijwcli.register.ketens import registreer_antwoord

        res = self.add(antwoord_bytes, richting="uit")[0]
        if res.sleutel is None:
            raise UsageError(f"antwoord niet opgeslagen: {res.reden}")
        try:
            heen = int(heen_sleutel)
        except (TypeError, ValueError):
            raise UsageError(f"{heen_sleutel!r} is geen id uit het register") from None
        registreer_antwoord(self.engine, heen, int(res.sleutel))
        return res

    def antwoorden(self, code: str, afzender: str, identificatie: str) -> list[EerderBericht]:
        from ijwcli.register.ketens import antwoorden

        return antwoorden(self.engine, code, afzender, identificatie)

    # --- chains -------------------------------------------------------------------------
    def historie(self, tree: etree._ElementTree | bytes) -> list[EerderBericht]:
        from ijwcli.register.ketens import historie

        return historie(self.engine, tree)

    def toewijzing(self, nummer: str, gemeente: str | None = None) -> EerderBericht | None:
        from ijwcli.register.ketens import toewijzing

        return toewijzing(self.engine, str(nummer), gemeente)

    def toewijzing_historie(self, nummer: str, gemeente: str | None = None
                            ) -> list[EerderBericht]:
        from ijwcli.register.ketens import toewijzing_historie

        return toewijzing_historie(self.engine, str(nummer), gemeente)

    def laatste_jw301(self, bsn: str) -> EerderBericht | None:
        from ijwcli.register.ketens import laatste_jw301

        return laatste_jw301(self.engine, bsn)

    def bekend(self, inhoud: bytes) -> str | None:
        """The register id of the message with exactly these bytes, or ``None``."""
        import hashlib

        from ijwcli.register.importeren import _bekend

        h = hashlib.sha256(inhoud).hexdigest()
        n = _bekend(self.engine, [h]).get(h)
        return None if n is None else str(n)

    def antwoord(self, heen_sleutel: str | int) -> str | None:
        """The register id of the answer (retourbericht or JW325) to message ``heen_sleutel``,
        or ``None`` while it has none: what ``verwerk`` asks before answering."""
        from ijwcli.register.ketens import antwoord_van

        return antwoord_van(self.engine, int(heen_sleutel))

    def volgend_toewijzingnummer(self, gemeente: str) -> int:
        from ijwcli.register.ketens import volgend_toewijzingnummer

        return volgend_toewijzingnummer(self.engine, gemeente)


    # --- queries ------------------------------------------------------------------------
    def lijst(self, filter: Filter | None = None, **filters: Any) -> list[dict[str, Any]]:  # noqa: A002
        """The berichtenoverzicht (see :class:`ijwcli.register.vragen.Filter`)."""
        from ijwcli.register.vragen import Filter, lijst

        return lijst(self.engine, filter or Filter(**filters))

    def client(self, bsn: str) -> dict[str, Any]:
        from ijwcli.register.vragen import client

        return client(self.engine, bsn)

    def toon(self, sleutel: str | int) -> dict[str, Any]:
        from ijwcli.register.vragen import toon

        return toon(self.engine, str(sleutel))

    def inhoud(self, sleutel: str | int) -> bytes:
        from ijwcli.register.vragen import inhoud, zoek

        bid = zoek(self.engine, str(sleutel))
        return inhoud(self.engine, [bid])[bid]

    def export(self, filter: Filter | None = None, **filters: Any  # noqa: A002
               ) -> list[tuple[str, bytes, dict[str, Any]]]:
        from ijwcli.register.export import exporteer
        from ijwcli.register.vragen import Filter

        return exporteer(self.engine, filter or Filter(**filters))

    def info(self) -> dict[str, Any]:
        from ijwcli.register.vragen import info

        d = info(self.engine)
        d.update({"locatie": self.toon_locatie, "bron": self.bron,
                  "backend": self.engine.dialect.name})
        return d


def open_register(db: str | None = None, config: Config | None = None) -> Register:
    """Open (and create or migrate) the register; see the module docstring for where."""
    from ijwcli.register.schema import migreer
    from ijwcli.register.verbinding import maak_engine

    config = config if config is not None else laad_config()
    locatie, bron = register_locatie(db, config)
    engine = maak_engine(locatie)
    from sqlalchemy.exc import OperationalError

    try:
        with engine.connect().execution_options(schrijven=True) as conn, conn.begin():
            was = migreer(conn)
    except OperationalError as exc:
        from ijwcli.errors import FileError
        from ijwcli.register.verbinding import toon_url

        engine.dispose()
        raise FileError(f"kan het register niet openen: {exc.orig}",
                        where=toon_url(locatie)) from None
    reg = Register(engine, locatie, bron, config)
    reg.schema_was = was
    return reg


__all__ = ["Register", "open_register"]
