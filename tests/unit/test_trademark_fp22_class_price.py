"""Issue 11, session 22 (fp22): a goods class's median price is no product's typical price.

Without a marketplace category, the engine's typical price for a lead is the median price of the batch's listings in
the mark's goods class; a class mixes kinds of goods of very different prices (stickers and albums are both class 16,
a jar of dressing and a tin of tea both class 30), so a cheap KIND of goods sat "far below the typical price" and read
as a knock-off's price: the genuine article at its shop price, an ordinary word that contains the mark (attack14:
白雪公主 贴纸书 12.9 and a 丘比 jar 11.9 against a class median of 39). With only the class to go by, a price now counts
as a knock-off's when it is also far below the cheap end of the class's ordinarily priced goods (the lower quartile of
its prices not themselves far below the median, so that knock-offs in the batch do not drag the cheap end down); a
marketplace category is one kind of goods and its median still does alone. Hand-made marks of no fixture. The first two tests fail on main 5a28d26;
the others are recall guards that pass there too."""

from __future__ import annotations

from regional.detection.engine import Engine
from regional.domain import LeadType, Listing, Right, RightKind, Seller

SHOP = "某某百货商行"


def tm(number: str, text: str, classes: tuple[int, ...]) -> Right:
    return Right(RightKind.TRADEMARK, number, text, "某某集团有限公司", "registered", classes)


ENGINE = Engine([
    tm("R-LQ", "澜泉", (32,)),   # a made-up name registered for drinks
    tm("R-TH", "桃花", (30,)),   # an ordinary word (peach blossom) registered for pastry
])

# drinks of class 32 at ordinary prices: cases of beer, juice and cola, and cheaper kinds of goods (water, tea drinks)
DRINKS = [("精酿 啤酒 12罐", 45.0), ("橙汁 1L 6瓶", 59.0), ("可乐 330ml 24罐", 39.0), ("气泡水 24瓶", 68.0),
          ("椰子水 12瓶", 52.0), ("矿泉水 550ml 24瓶", 22.0), ("苏打水 24瓶", 26.0), ("乌龙茶 饮料 15瓶", 29.0)]


def batch(title: str, price: float, *, category: str | None = None) -> Listing:
    return Listing(id="x", title=title, nice_classes=(32,), price=price, seller=Seller(name=SHOP), category=category)


def run(target: Listing, market: list[tuple[str, float]], *, category: str | None = None) -> dict[str, tuple[str, ...]]:
    listings = [Listing(id=f"o{k}", title=t, nice_classes=target.nice_classes, price=p, seller=Seller(name=SHOP),
                        category=category) for k, (t, p) in enumerate(market)]
    return {f.right: f.codes for f in ENGINE.run([*listings, target]).findings
            if f.type == LeadType.TRADEMARK and f.listing_id == "x"}


def test_the_genuine_article_at_a_cheap_kind_of_goods_price_is_no_knock_off() -> None:
    # 12.9 is below 40 % of the class median 39 (main: "far below the typical 39", a lead), but not below 40 % of the
    # cheap end of the class's ordinarily priced goods (29): the exact name alone at its shop price is resale, no lead
    assert "R-LQ" not in run(batch("澜泉 矿泉水 550ml 24瓶 超市", 12.9), DRINKS)


def test_an_ordinary_word_with_the_mark_at_a_cheap_kind_of_goods_price_is_the_word() -> None:
    pastry = [("月饼 礼盒 中秋", 88.0), ("土蜂蜜 500g", 49.0), ("挂耳 咖啡 30片", 59.0), ("五常 大米 5kg", 69.0),
              ("手工 饼干 罐装", 39.0), ("辣条 零食 大礼包", 22.0), ("苏打 饼干 1kg", 25.0), ("方便面 五连包", 28.0)]
    word = Listing(id="x", title="桃花酥 手工 糕点 6枚", nice_classes=(30,), price=14.5, seller=Seller(name=SHOP))
    assert "R-TH" not in run(word, pastry)


def test_a_knock_off_price_below_the_cheap_end_of_the_class_stays_a_lead() -> None:
    codes = run(batch("澜泉 矿泉水 550ml 24瓶", 2.9), DRINKS)
    assert "R-LQ" in codes and "tm.cheap" in codes["R-LQ"]
    pastry = [(f"桃酥 糕点 礼盒装 {k}", p) for k, p in enumerate((58.0, 60.0, 62.0, 59.0))]
    word = Listing(id="x", title="桃花酥 手工 糕点 6枚", nice_classes=(30,), price=6.0, seller=Seller(name=SHOP))
    assert "R-TH" in run(word, pastry)


def test_a_marketplace_category_is_one_kind_of_goods_and_its_median_does_alone() -> None:
    # the same prices in one category (饮料): 12.9 is far below its typical 39, a knock-off's price there
    codes = run(batch("澜泉 矿泉水 550ml 24瓶 超市", 12.9, category="饮料"), DRINKS, category="饮料")
    assert "R-LQ" in codes and "tm.cheap" in codes["R-LQ"]
