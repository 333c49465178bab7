"""The set-up the trademark unit tests of one listing at a time share (read23, session 23): a mark registered by one
owner, a listing sold by an ordinary shop, the leads an engine gives it and the candidates a detector gives it."""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.detection.trademark import TrademarkDetector
from regional.domain import Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


def listing(title: str, classes: tuple[int, ...], price: float | None = None, seller: str = SHOP) -> Listing:
    return Listing(id="x", title=title, nice_classes=classes, price=price, seller=Seller(name=seller))


def leads(engine: Engine, title: str, classes: tuple[int, ...], price: float | None = None) -> set[str]:
    """The rights the engine's findings name for one listing of this title, goods classes and price."""
    return {f.right for f in engine.run([listing(title, classes, price)]).findings}


def coded_leads(engine: Engine, title: str, classes: tuple[int, ...], seller: str = SHOP,
                price: float = 99.0) -> dict[str, list[str]]:
    """The rights the engine's findings of score ≥ 0.5 name for one listing by `seller`, each with its reason codes."""
    return {f.right: list(f.codes) for f in engine.run([listing(title, classes, price, seller)]).findings
            if f.score >= 0.5}


def candidates(detector: TrademarkDetector, title: str, classes: tuple[int, ...], price: float | None = None) -> set[str]:
    """The rights the detector retrieves as candidates for one such listing (before verification and scoring)."""
    return {c.right.number for c in detector.candidates([listing(title, classes, price)])}
