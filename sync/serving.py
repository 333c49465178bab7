"""Process plumbing shared by the nodes: gunicorn for web apps, port files, logging."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def setup_logging(level: str = "INFO") -> None:
    """Plain, timestamped log lines on stderr."""
    logging.basicConfig(level=getattr(logging, level.upper(), logging.INFO),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # APScheduler reports every successful run at INFO and every overlapping, skipped run
    # at WARNING; neither helps an operator. Job failures still arrive at ERROR.
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    # Alembic announces each of its own plugins at INFO ("setup plugin alembic.autogenerate…") at every
    # start: noise in an operator's log. Its migration lines ("Running upgrade …") stay.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def write_port_file(run_dir: Path, name: str, host: str, port: int) -> Path:
    """Record where a process listens, atomically, so a supervisor can find it."""
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / f"{name}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"host": host, "port": port, "pid": os.getpid()}), encoding="utf-8")
    tmp.replace(path)
    return path


def serve_wsgi(app_factory: Callable[[], Any], host: str, port: int, run_dir: Path, name: str,
               workers: int = 2) -> None:
    """Run a Flask app under gunicorn; the bound port (port 0 picks a free one) goes to <run_dir>/<name>.json."""
    from gunicorn.app.base import BaseApplication

    class _App(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", 4)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", None)
            self.cfg.set("graceful_timeout", 5)
            # gunicorn's control socket defaults to one path per user (~/.gunicorn/gunicorn.ctl): every web UI on
            # the host would bind the same one. Nothing here uses it.
            self.cfg.set("control_socket_disable", True)
            self.cfg.set("when_ready", self._ready)

        @staticmethod
        def _ready(server: Any) -> None:
            sock_host, sock_port = server.LISTENERS[0].sock.getsockname()[:2]
            write_port_file(run_dir, name, sock_host, sock_port)
            server.log.info("%s listening on http://%s:%s/", name, sock_host, sock_port)

        def load(self) -> Any:
            return app_factory()

    _App().run()
