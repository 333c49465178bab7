"""Intelligent detection (智慧检测): one pure model per class of wrong, run by `engine.detect`.

The names below are loaded on first use (PEP 562): importing a light submodule (`regional.detection.config` for
MODEL_NAMES, as every `hufu` command's parser does) must not load the engine, numpy and the trademark index code —
that was a third of the start-up of every command (newcomer16 N11: `hufu evidence export`).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the checkers see the real names
    from regional.detection.config import DetectionConfig
    from regional.detection.engine import DetectionResult, Engine, detect
    from regional.detection.trademark import TrademarkDetector

__all__ = ["DetectionConfig", "DetectionResult", "Engine", "TrademarkDetector", "detect"]
_HOME = {"DetectionConfig": "regional.detection.config", "DetectionResult": "regional.detection.engine",
         "Engine": "regional.detection.engine", "detect": "regional.detection.engine",
         "TrademarkDetector": "regional.detection.trademark"}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
