"""The shipped message templates (see :mod:`ijwcli.generatie.sjabloon`); templates/ links here."""
