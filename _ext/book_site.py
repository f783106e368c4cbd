"""Small fixes to the site's HTML that no configuration value makes.

Jupyter Book 1.x registers some extensions' inline scripts twice; one of
them declares ``const THEBE_JS_URL``, and the second declaration is a
JavaScript error on every page. This extension drops repeated scripts from
each page before it is written.
"""


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


def setup(app):
    # Last of the handlers, after the theme has added its own scripts.
    app.connect("html-page-context", remove_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
