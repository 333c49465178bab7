"""Intelligent detection (智慧检测): one pure model per class of wrong, run by `engine.detect`."""

from regional.detection.engine import detect
from regional.detection.trademark import TrademarkDetector

__all__ = ["TrademarkDetector", "detect"]
