"""Companion package of the book *Autoencoders with Keras 3*.

Each chapter imports the helpers it needs through their module, so that a
reader sees where the code lives::

    from companion import config, data, models, training, metrics, plots

Importing the package itself does nothing else: no backend is imported, no
environment variable is set and nothing is downloaded.
"""

__version__ = "0.1.0"
