"""ijwcli: validate, compute, convert and generate iJw 3.2 youth-care messages.

The library works without the CLI: :mod:`ijwcli.bericht` reads and writes messages,
:mod:`ijwcli.validatie` checks them, :mod:`ijwcli.model` is the message model they share.
"""

__version__ = "0.1.0"
