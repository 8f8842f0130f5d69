"""The exceptions of ijwcli: one base class and three kinds, each with its CLI exit code.

>>> raise InvalidInput("'31-06-2026' is geen bestaande datum", where="Producten!F7")
Traceback (most recent call last):
    ...
ijwcli.errors.InvalidInput: Producten!F7: '31-06-2026' is geen bestaande datum
>>> InvalidInput("x").exit_code, UsageError("x").exit_code, FileError("x").exit_code
(1, 2, 2)
"""

from __future__ import annotations


class IjwError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = 2

    def __init__(self, message: str, where: str | None = None) -> None:
        self.message = message
        self.where = where
        super().__init__(f"{where}: {message}" if where else message)


class InvalidInput(IjwError):
    """The input data breaks the standard or the agreements (a message, a cell, a row)."""

    exit_code = 1


class AlBeantwoord(InvalidInput):
    """The message already has its answer in the register: ijwcli never answers twice.

    ``antwoord`` names the answer that is there (type, Identificatie, date) and ``sleutel``
    its id in the register, so a caller can fetch it (``reg.inhoud(sleutel)``).
    """

    def __init__(self, message: str, where: str | None = None, *, antwoord: str | None = None,
                 sleutel: str | None = None) -> None:
        self.antwoord = antwoord
        self.sleutel = sleutel
        super().__init__(message, where)


class UsageError(IjwError):
    """An option or argument value that cannot be used (unknown regio, end before start …)."""


class FileError(IjwError):
    """A file cannot be read or written (missing, unreadable, would overwrite)."""


class InvalidMessage(InvalidInput):
    """A message file that cannot be read as iJw XML at all (encoding, BOM, not XML, DOCTYPE).

    ``rule`` names the iStandaarden rule where one applies (OP192 for the byte-order mark).
    """

    def __init__(self, message: str, rule: str = "XSD", line: int | None = None,
                 where: str | None = None) -> None:
        self.rule = rule
        self.line = line
        super().__init__(message, where)
