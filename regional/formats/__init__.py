"""Interchange formats (docs: /work/shared/docs/formats.md): shapes, errors and JSON Lines I/O.

The public entry points live in `regional.importers`; this package holds the parts.
"""
