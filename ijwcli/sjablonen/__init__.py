"""The shipped message templates (see :mod:`ijwcli.sjabloon`); templates/ links here."""
