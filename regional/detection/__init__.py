"""Intelligent detection (智慧检测): one pure model per class of wrong, run by `engine.detect`."""

from regional.detection.config import DetectionConfig
from regional.detection.engine import DetectionResult, Engine, detect
from regional.detection.trademark import TrademarkDetector

__all__ = ["DetectionConfig", "DetectionResult", "Engine", "TrademarkDetector", "detect"]
