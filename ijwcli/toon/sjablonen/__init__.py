"""The Jinja2 templates and the style sheet of the HTML pages (data files, no code)."""
