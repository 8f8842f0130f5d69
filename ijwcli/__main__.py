from ijwcli.cli import app

app(prog_name="ijwcli")
