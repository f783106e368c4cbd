"""Small fixes to the site's HTML that no configuration value makes.

Jupyter Book 1.x registers some extensions' inline scripts twice; one of
them declares ``const THEBE_JS_URL``, and the second declaration is a
JavaScript error on every page. This extension drops repeated scripts from
each page before it is written.

It also registers the citation style ``author_year_round`` (set in
``_config.yml``): sphinxcontrib-bibtex's author-year style with round
brackets, "Hinton and Salakhutdinov (2006)", as books print it, instead of
its default square ones.

Jupyter Book adds every ``.js`` file under ``_static`` to every page. The
interactive figures' data files (``_static/widgets/*.js``, a decoder's
weights each) are loaded by ``_static/widgets.js`` on the page that shows
the widget only, so this extension takes them off that list.
"""

import dataclasses

import sphinxcontrib.bibtex.plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import (
    AuthorYearReferenceStyle,
)


def _round():
    return BracketStyle(left="(", right=")")


@dataclasses.dataclass
class RoundAuthorYearStyle(AuthorYearReferenceStyle):
    """Author-year citations in round brackets."""

    bracket_parenthetical: BracketStyle = dataclasses.field(
        default_factory=_round
    )
    bracket_textual: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_author: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_label: BracketStyle = dataclasses.field(default_factory=_round)
    bracket_year: BracketStyle = dataclasses.field(default_factory=_round)


sphinxcontrib.bibtex.plugin.register_plugin(
    "sphinxcontrib.bibtex.style.referencing",
    "author_year_round",
    RoundAuthorYearStyle,
)


def _script_key(script):
    attributes = getattr(script, "attributes", {}) or {}
    # An inline script is registered once with filename None, once with "".
    filename = getattr(script, "filename", script) or ""
    return str(filename), tuple(sorted(attributes.items()))


def remove_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def keep_widget_data_off_pages(app, config):
    config.html_js_files = [
        entry
        for entry in config.html_js_files
        if not str(entry[0] if isinstance(entry, tuple) else entry).startswith(
            "widgets/"
        )
    ]


def setup(app):
    app.connect("config-inited", keep_widget_data_off_pages)
    # Last of the handlers, after the theme has added its own scripts.
    app.connect("html-page-context", remove_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
