"""Regional profiles shipped with ijwcli (one TOML file per regio);
see :mod:`ijwcli.verlenging.profiel`."""
