"""What a web process would otherwise do on its first requests, done once when it starts (newcomer16 N11).

A served process compiled each page's template, parsed the message catalogues of a language, imported the modules a
view imports when it runs, and built the detection code tables on the first request that needed each; under a
shared machine's load the first /dashboard took 7 s, /customs/warnings 3.6 s, the next ones under 1 s. `warm` does
that work before the process takes requests (gunicorn loads the app in each worker before it serves). Tests and
`create_app` callers that do not serve skip it.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Callable, Sequence
from functools import partial

from flask import Flask

log = logging.getLogger("hufu.web")

# the modules the regional views import when they run (the heavy ones: the detection engine and its tables, the
# spreadsheet writer of the exports), and the tables the models build on first use
REGIONAL_MODULES = ("regional.detection.engine", "regional.customs.service", "regional.reports.dashboard",
                    "regional.review.queue", "openpyxl")


def _detection_tables() -> None:
    from regional.detection import code_tables

    code_tables.shipped()


def warm(app: Flask, modules: Sequence[str] = (), primers: Sequence[Callable[[], object]] = ()) -> Flask:
    """Load every catalogue, compile every template, import `modules` and run `primers`; returns `app`. A step that
    fails is logged and skipped: the page that needs it does the work itself, as before."""
    from regional.web.i18n import LANGS, load_catalogues

    started, cpu = time.perf_counter(), time.process_time()
    steps: list[tuple[str, Callable[[], object]]] = []
    domain = app.extensions.get("hufu_babel_domain")
    if domain is not None:
        dirs = tuple(domain.translation_directories)
        steps += [(f"catalogues {lang}", partial(load_catalogues, dirs, lang)) for lang in LANGS]
    steps += [(f"template {name}", partial(app.jinja_env.get_template, name))
              for name in app.jinja_env.list_templates() if name.endswith(".html")]
    steps += [(f"module {name}", partial(importlib.import_module, name)) for name in modules]
    steps += [(getattr(p, "__name__", "primer"), p) for p in primers]
    for what, step in steps:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a warm-up never stops a node from serving
            log.warning("warm-up: %s skipped (%s: %s)", what, type(exc).__name__, exc)
    log.info("web process warmed up in %.2f s (%.2f s CPU): %d step(s)", time.perf_counter() - started,
             time.process_time() - cpu, len(steps))
    return app


def warm_regional(app: Flask) -> Flask:
    """`warm` with the regional node's lazily imported modules and the detection tables."""
    return warm(app, REGIONAL_MODULES, (_detection_tables,))
