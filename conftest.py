"""Test-wide settings, loaded by pytest before any test or notebook runs.

Fast mode is switched on here, so ``pytest`` runs every chapter in fast mode
without anyone exporting a variable. The notebook kernels that nbval starts
inherit this environment.
"""

import os

os.environ.setdefault("AUTOENCODERS_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("AUTOENCODERS_PROGRESS", "0")
os.environ.setdefault("MPLBACKEND", "Agg")
