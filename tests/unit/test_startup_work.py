"""Work a process does before it can answer (newcomer16 N11): `hufu`'s parser loads no detection code or service
modules, and a served web process does its first requests' one-time work when it starts."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def test_building_hufus_parser_loads_neither_the_detection_code_nor_a_service() -> None:
    """Every command (`hufu evidence export`, `hufu regional retrain --help`…) builds the whole parser first: it
    loaded numpy, the trademark index code and the exhibitions' service and tables — a third of its start-up."""
    probe = ("import sys, national.hufu as h; h.build_parser(); "
             "print(sorted(m for m in ('numpy', 'regional.detection.engine', 'regional.detection.trademark', "
             "'regional.exhibitions.service') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_node_tables_load_without_the_detection_code() -> None:
    probe = "import sys, regional.models, regional.customs.models; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_detection_package_still_offers_its_names() -> None:
    import regional.detection as detection
    from regional.detection import DetectionConfig, detect
    from regional.detection.engine import detect as engine_detect

    assert detect is engine_detect and DetectionConfig().__class__.__name__ == "DetectionConfig"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        detection.nope  # noqa: B018


def test_a_warmed_web_process_has_compiled_its_templates_and_read_its_catalogues(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from regional.config import RegionalConfig
    from regional.web import create_app
    from regional.web.i18n import load_catalogues
    from regional.web.warmup import warm

    config = RegionalConfig(data_dir=tmp_path / "region", region="440000")
    config.data_dir.mkdir()
    app = create_app(config)
    load_catalogues.cache_clear()

    def broken() -> None:
        raise RuntimeError("no tables here")

    with caplog.at_level(logging.INFO, logger="hufu.web"):
        assert warm(app, ("json",), (broken,)) is app
    templates = {name for name in app.jinja_env.list_templates() if name.endswith(".html")}
    assert {"models.html", "regional_dashboard.html", "audit.html"} <= templates
    cached = {key[1] for key in app.jinja_env.cache.keys()}  # type: ignore[union-attr]
    assert templates <= cached, templates - cached
    assert load_catalogues.cache_info().currsize >= 2  # zh_CN and en
    assert "warm-up: broken skipped (RuntimeError: no tables here)" in caplog.text  # the node serves anyway
