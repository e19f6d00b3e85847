"""Mechanisms: pure functions over numpy arrays, one module each, no I/O.

Each module names its evidence (source file and paragraph in ``shared/seeds``) and declares a
``Params`` table with units, defaults and bounds.
"""
