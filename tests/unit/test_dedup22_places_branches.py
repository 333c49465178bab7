"""Seller dedup, issue 11 session 22 (dedup22): an autonomous prefecture written without its peoples (西双版纳, 德宏,
伊犁; Xishuangbanna in Latin names) is a place, not the trade name; a branch written short, without its parent's legal
form (澜舟长沙分公司), keeps its branch words, as the full branch name does.

Every name, number and address here is made up for the test (none comes from an evaluation set or the blind check)."""

from __future__ import annotations

from national.dedup.config import seller_config
from national.dedup.divisions import division_index
from national.dedup.engine import resolve
from national.dedup.normalize import normalize_name
from national.dedup.table import build_table

CFG = seller_config()


def _parts(name: str):  # type: ignore[no-untyped-def]
    parts = normalize_name(name)
    assert parts is not None
    return parts


def test_an_autonomous_prefecture_written_short_is_a_place_not_the_trade_name() -> None:
    for name, code in (("西双版纳澜舟茶业有限公司", "532800"), ("德宏澜舟茶业有限公司", "533100"),
                       ("伊犁澜舟商贸有限公司", "654000"), ("湘西澜舟商贸有限公司", "433100")):
        parts = _parts(name)
        assert (parts.brand, parts.place) == ("澜舟", code), name  # on main: 西双版纳澜舟, no place


def test_a_latin_name_starting_with_an_autonomous_prefecture_has_its_own_trade_name() -> None:
    tea, toys = _parts("Xishuangbanna Lanzhou Tea Co., Ltd."), _parts("Xishuangbanna Qiyue Toys Co., Ltd.")
    assert tea.brand == "lanzhou" and toys.brand == "qiyue"  # on main both 'xishuangbanna': every firm there one name
    assert _parts("Dehong Lanzhou Tea Co., Ltd.").sound == _parts("德宏澜舟茶业有限公司").sound == "lan-zhou"


def test_the_province_of_hainan_is_not_the_prefecture_of_the_same_short_name() -> None:
    assert _parts("海南澜舟商贸有限公司").place == "460000"  # not 海南藏族自治州 (Qinghai)
    assert division_index().bare_prefectures["西双版纳"] == "532800" and "海南" not in division_index().bare_prefectures


def test_a_branch_written_short_keeps_its_branch_words() -> None:
    full = _parts("湖南澜舟食品有限公司长沙分公司")
    short, with_trade = _parts("澜舟长沙分公司"), _parts("澜舟食品长沙分公司")
    assert short.brand == with_trade.brand == full.brand == "澜舟长沙分公司"  # on main: 澜舟, the head office's
    assert with_trade.core == full.core == "澜舟食品长沙分公司"
    assert short.form == "company"
    assert _parts("澜舟食品有限公司").brand == "澜舟"  # the head office stays the head office
    assert _parts("澜舟五金城东分店").brand != "澜舟"  # no place before the branch word: read as before


def test_a_short_branch_name_meets_its_full_name_and_not_its_head_office() -> None:
    records = [
        {"id": "b1", "name": "湖南澜舟食品有限公司长沙分公司", "phone": "0731-84120001",
         "address": "湖南省长沙市芙蓉区五一大道1号"},
        {"id": "b2", "name": "澜舟食品长沙分公司"},  # the name alone
        {"id": "h1", "name": "湖南澜舟食品有限公司", "phone": "0731-22330001", "address": "湖南省株洲市天元区株洲大道1号"},
        {"id": "h2", "name": "澜舟食品有限公司", "phone": "0731-22330001"},
    ]
    labels = resolve(build_table(records, CFG), CFG).labels
    assert labels[0] == labels[1]  # on main: 澜舟食品长沙分公司 read as 澜舟食品 of 长沙, the head office's trade name
    assert labels[2] == labels[3]
    assert labels[0] != labels[2]  # a branch is its own registered entity
