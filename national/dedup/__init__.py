"""Entity resolution for the national node: one seller behind many names, across regions.

Import from the modules (kept light here so `hufu --help` stays fast)::

    from national.dedup.config import seller_config
    from national.dedup.table import build_table
    from national.dedup.engine import resolve

    labels = resolve(build_table(records, seller_config()), seller_config()).labels

See docs/dedup.md.
"""
