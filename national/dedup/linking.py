"""Turning scored links into entities without chaining, for the batch engine and the national node alike.

Links above the threshold join entities, strongest first, never across a contradiction: two
different valid credit codes, incompatible registration places (a registered name is unique only
within one authority, and a credit code names its authority), a company against an individual
business, different trades under one trade name, or a pair an officer kept apart.

Records differ in what they can prove. A *weak* record names only a shop-style or bare name —
no place, no identifier, no address (XX旗舰店, XX经营部). Weak records may join one another and
may join **one** entity; a weak record that links to two or more entities that are not one is
ambiguous and joins none (its links are returned as refused, for an officer), and a weak record
never bridges two entities that hold stronger records. A record without an identity whose shop name names goods
(XX眼镜旗舰店) joins on its name alone no firm whose names name unrelated goods (XX风筝有限公司): that link goes to
an officer too. Everything here is pure.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from national.dedup.normalize import forms_compatible, places_compatible, trades_compatible

AMBIGUOUS = "weak record linked to several entities"
FORM_CONFLICT = "a company and an individual business"
BRANCH_PARENTS = "branches of parents registered in different places"
BRIDGE = "weak record would bridge two entities"
OTHER_TRADE = "name only, and its shop names another trade"
SOFT_FORM = "name only, named like an individual business, and the firm is a company"
FOR_REVIEW = (AMBIGUOUS, BRIDGE, OTHER_TRADE, SOFT_FORM)  # refusals an officer should look at (the merge-review queue)
# trades that say how a firm trades, not what it sells: a shop of any goods fits them
BROAD_TRADES = frozenset({"贸易", "百货", "日用百货", "日用品", "科技", "电子商务", "商务", "实业", "实业发展", "发展",
                          "投资", "控股", "进出口", "国际", "国际贸易", "外贸", "供应链", "网络", "信息", "技术",
                          "服务", "管理", "智能", "超市", "便利店", "特产", "土特产", "产品", "制品", "用品", "集团",
                          "企业管理", "品牌管理", "营销", "物资", "杂品", "日杂"})


# goods of one family written with no character in common (女装 is clothing, 数码 electronics, 运动 sport)
GOODS_FAMILIES = tuple(frozenset(f) for f in (
    ("服饰", "服装", "女装", "男装", "童装", "内衣", "针织", "制衣", "鞋服", "鞋业", "袜业",
     "汉服", "旗袍", "唐装", "婚纱", "礼服", "睡衣", "家居服", "羽绒服", "棉服", "毛衣", "羊毛衫", "衬衫", "西服",
     "西装", "裤业", "牛仔", "泳衣", "泳装", "校服", "制服", "丝巾", "围巾", "披肩", "领带", "鞋袜"),
    ("数码", "电子", "电器", "手机", "电脑", "通信", "智能", "光电", "计算机",
     "耳机", "音响", "音箱", "充电器", "数据线", "移动电源"),
    ("运动", "体育", "体育用品", "户外", "健身", "运动用品", "体育器材",
     "帐篷", "睡袋", "露营", "登山用品", "瑜伽", "滑板", "球拍", "羽毛球", "乒乓球", "篮球",
     "足球", "骑行", "泳衣", "泳装"),
    ("箱包", "皮具", "皮革", "箱包皮具"),
    ("保健", "保健品", "生物", "健康", "医药", "药业", "营养品",
     "燕窝", "阿胶", "人参", "参茸", "滋补品", "虫草", "石斛", "三七", "黄芪", "蜂王浆"),
    ("家居", "家具", "家纺", "床上用品", "寝具",
     "床垫", "床单", "枕头", "蚊帐", "凉席", "地毯", "桌布", "抱枕", "四件套", "毛毯", "毛巾", "浴巾", "窗帘", "布艺"),
    ("美妆", "化妆品", "日化", "美容", "护肤", "彩妆", "香水", "面膜", "洗护"),
    ("食品", "零食", "休闲食品", "副食", "特产", "土特产", "农产品", "生鲜", "水果", "蔬菜", "果蔬",
     # foods and farm produce of the goods words (national/dedup/normalize.py _GOODS_TERMS)
     "腊味", "腊肉", "腊肠", "香肠", "火腿", "熏肉", "板鸭", "卤味", "卤菜", "熟食", "肉干", "肉脯", "肉松", "鸭脖",
     "烧鸡", "扒鸡", "烤鸭", "酱菜", "腌菜", "泡菜", "咸菜", "榨菜", "酱料", "调料", "辣酱", "辣椒", "底料", "腐乳",
     "豆豉", "花椒", "香料", "调味品", "米粉", "米线", "粉丝", "粉条", "面条", "挂面", "螺蛳粉", "酸辣粉", "凉皮",
     "年糕", "粽子", "汤圆", "月饼", "糕饼", "饼业", "饼干", "点心", "蛋糕", "面包", "麻花", "锅巴", "糖果", "巧克力",
     "蜜饯", "果脯", "果干", "坚果", "炒货", "瓜子", "花生", "核桃", "板栗", "红枣", "枸杞", "桂圆", "干果", "腰果",
     "开心果", "芝麻", "干货", "山货", "菌菇", "食用菌", "香菇", "木耳", "银耳", "松茸", "竹笋", "笋干", "海带",
     "紫菜", "虾皮", "虾米", "鱼干", "海产", "水产", "海味", "鱿鱼", "海鲜", "蜂蜜", "蜂产品", "蜂业", "蛋品",
     "禽蛋", "鸡蛋", "鸭蛋", "皮蛋", "乳品", "乳制品", "奶粉", "大米", "香米", "杂粮", "面粉", "玉米", "红薯",
     "土豆", "马铃薯", "山药", "茶油", "菜籽油", "花生油", "香油", "粮油", "食用油", "果品", "农副产品", "脐橙",
     "柑橘", "蜜柚", "猕猴桃", "葡萄", "荔枝", "芒果", "石榴", "樱桃", "草莓", "蓝莓", "美食", "小吃", "食材", "山珍"),
))


@functools.lru_cache(maxsize=1 << 14)
def _family(trade: str) -> frozenset[int]:
    return frozenset(k for k, family in enumerate(GOODS_FAMILIES) if any(word in trade for word in family))


def same_goods_family(a: str, b: str) -> bool:
    """Do two trades name goods of one family (帐篷 / 户外用品, 腊味 / 食品, 汉服 / 服饰)?"""
    return bool(_family(a) & _family(b))


def goods_related(a: str, b: str) -> bool:
    """Can a shop whose name names trade `a` belong to a firm whose names name `b`? Yes when one contains the
    other, when either only says how it trades (贸易, 百货, 科技: see BROAD_TRADES), or when the two share a
    character (石材 / 石业, 蜂蜜 / 蜂产品, 辣酱 / 辣椒制品: goods of one kind); 眼镜 against 风筝 is no."""
    if trades_compatible(a, b) or a in BROAD_TRADES or b in BROAD_TRADES:
        return True
    return bool(set(a) & set(b)) or bool(_family(a) & _family(b))


def link_candidates(probability: npt.NDArray[np.float64], left: npt.NDArray[np.int32], right: npt.NDArray[np.int32],
                    weak: Sequence[bool], link_probability: float,
                    attachable: npt.NDArray[np.bool_]) -> npt.NDArray[np.intp]:
    """Indices of the pairs to hand to `link_entities`: those above the link threshold, and those that agree
    on the trade name (`attachable`) — an entity without an identity joins another on its name alone only
    when the name points at that one entity."""
    del weak, left, right
    return np.flatnonzero((probability >= link_probability) | attachable)


def link_weight(link_probability: float) -> float:
    """The match weight (log2 odds) of a probability."""
    return float(np.log2(link_probability / (1.0 - link_probability)))


def _union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    return a if not b or b <= a else (b if a <= b else a | b)


@dataclass(slots=True)
class EntityFacts:
    """What constrains joining an entity with another."""

    uscc: str | None = None  # its valid credit code
    place: str | None = None  # its registration place (prefecture or province code)
    form: str | None = None  # "company" / "individual" (other forms constrain nothing)
    trade: str | None = None  # canonical trade words of its registered names
    size: int = 1
    strong: bool = True  # holds a record that is not weak
    anchored: bool = False  # holds a valid credit code or a registered name with its place: an identity
    # hints (addresses, shop names' places, credit codes that fail their check): too soft to keep records
    # with identifiers apart, enough to stop a join on a name alone
    hint_places: frozenset[str] = frozenset()
    hint_forms: frozenset[str] = frozenset()
    # trades named by shop-style names (焱居家具专营店): never a conflict, only a tie-break among namesakes
    hint_trades: frozenset[str] = frozenset()
    # a branch's parent's place (安徽恒泰集团有限公司盐城分公司: 安徽): the branch itself is registered where it sits
    # (`place`), so two parents' branches in one county differ only here
    parent: str | None = None

    def trades(self) -> frozenset[str]:
        """Every trade its names name: the registered one and those of its shop-style names."""
        return self.hint_trades | ({self.trade} if self.trade else frozenset())

    def conflicts(self, other: EntityFacts) -> str | None:
        """Why the two cannot be one entity, or None."""
        if self.uscc and other.uscc:
            # the credit code names the legal entity: equal codes settle it, whatever the names say
            return "different valid credit codes" if self.uscc != other.uscc else None
        if not places_compatible(self.place, other.place):
            return "registered in different places"
        if not places_compatible(self.parent, other.parent):
            return BRANCH_PARENTS
        if not forms_compatible(self.form, other.form):
            return FORM_CONFLICT
        if not trades_compatible(self.trade, other.trade):
            return "different trades under one trade name"
        return None

    def soft_individual(self, other: EntityFacts) -> bool:
        """Is this an entity without an identity whose individual-business form comes from a name alone (no registered
        place, no credit code: 华美经营部), against `other`, a company?"""
        return not self.anchored and self.form == "individual" and self.uscc is None and self.place is None \
            and other.form == "company"

    def joined(self, other: EntityFacts) -> EntityFacts:
        """The facts of the union (the more specific place and trade are kept)."""
        place, other_place = self.place, other.place
        if not place or other_place and place.endswith("0000") and not other_place.endswith("0000"):
            place = other_place
        trade, other_trade = self.trade, other.trade
        if not trade or other_trade and len(other_trade) > len(trade):  # the longer; the first of equal length
            trade = other_trade or None
        form = self.form if self.form in ("company", "individual") else other.form
        parent, other_parent = self.parent, other.parent
        if not parent or other_parent and parent.endswith("0000") and not other_parent.endswith("0000"):
            parent = other_parent
        return EntityFacts(self.uscc or other.uscc, place, form, trade, self.size + other.size,
                           self.strong or other.strong, self.anchored or other.anchored,
                           _union(self.hint_places, other.hint_places), _union(self.hint_forms, other.hint_forms),
                           _union(self.hint_trades, other.hint_trades), parent)

    def hints_conflict(self, other: EntityFacts) -> str | None:
        """Why a join on a name alone would be wrong: no place of one fits a place of the other, or one is
        only a company and the other only an individual business."""
        mine = self.hint_places | ({self.place} if self.place else set())
        theirs = other.hint_places | ({other.place} if other.place else set())
        if mine and theirs and not any(places_compatible(a, b) for a in mine for b in theirs):
            return "name only, and the places differ"
        forms_a = self.hint_forms | ({self.form} if self.form else set())
        forms_b = other.hint_forms | ({other.form} if other.form else set())
        if forms_a and forms_b and len(forms_a) == 1 and len(forms_b) == 1 and not forms_compatible(
                next(iter(forms_a)), next(iter(forms_b))):
            return "name only, and a company against an individual business"
        return None


@dataclass
class Linking:
    """Entity merges (absorbed -> survivor, in order) and refused links (record a, record b, reason)."""

    merges: list[tuple[int, int]] = field(default_factory=list)
    refused: list[tuple[int, int, str]] = field(default_factory=list)
    facts: dict[int, EntityFacts] = field(default_factory=dict)

    def survivor(self) -> dict[int, int]:
        """absorbed entity -> the entity it ended up in."""
        parent = dict(self.merges)
        out = {}
        for e in parent:
            root = e
            while root in parent:
                root = parent[root]
            out[e] = root
        return out


def _rank(entity: int, facts: EntityFacts) -> tuple[int, bool, int]:
    """Which of two entities survives a merge: the larger; then a stored one (id >= 0) over a provisional
    one (negative id, not written yet); then the smaller id."""
    return facts.size, entity >= 0, -abs(entity)


class _Linker:
    def __init__(self, facts: Mapping[int, EntityFacts], forbidden: Iterable[tuple[int, int]]) -> None:
        self.parent: dict[int, int] = {}
        self.current = dict(facts)
        self.apart: dict[int, set[int]] = {}
        for a, b in forbidden:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)
        self.out = Linking()

    def find(self, e: int) -> int:
        root = e
        while root in self.parent:
            root = self.parent[root]
        while e in self.parent and self.parent[e] != root:
            self.parent[e], e = root, self.parent[e]
        return root

    def why_not(self, ea: int, eb: int) -> str | None:
        reason = self.current[ea].conflicts(self.current[eb])
        if reason is None and eb in self.apart.get(ea, ()):
            reason = "rejected by an officer"
        return reason

    def join(self, ea: int, eb: int) -> None:
        fa, fb = self.current[ea], self.current[eb]
        into, absorbed = (ea, eb) if _rank(ea, fa) >= _rank(eb, fb) else (eb, ea)
        self.parent[absorbed] = into
        self.current[into] = fa.joined(fb)
        del self.current[absorbed]
        moved = self.apart.pop(absorbed, None)
        if moved:  # an officer kept the absorbed entity apart from others: so is the union now
            kept = self.apart.setdefault(into, set())
            kept |= moved
            for other in kept:
                self.apart.setdefault(other, set()).add(into)
        self.out.merges.append((absorbed, into))


def _attach(linker: _Linker, entity: int, edges_of: Mapping[int, tuple[int, int, float]], named: Iterable[int],
            firm_weight: float) -> tuple[bool, bool, list[tuple[int, int, str]]]:
    """Step 3 for one entity: join the one entity its name points at. Returns (joined, undecided, links refused
    this round); an undecided entity (several candidates) is tried again after others have joined."""
    root = linker.find(entity)
    own = linker.current[root]
    if own.anchored:
        return False, False, []
    refused: list[tuple[int, int, str]] = []
    targets: dict[int, tuple[int, int, float]] = {}
    for other, edge in edges_of.items():
        target = linker.find(other)
        if target != root and linker.current[target].strong:
            targets.setdefault(target, edge)
    possible = {}
    # a shop name naming goods (眼镜) joins on its name alone no firm whose names name unrelated goods (风筝)
    named_trades = own.trades() if not own.trade else frozenset()
    for target, (a, b, w) in targets.items():  # entities it contradicts are no candidates
        reason = linker.why_not(root, target)
        if reason == FORM_CONFLICT and w < firm_weight and own.soft_individual(linker.current[target]):
            # 华美经营部 against 华美商贸有限公司 on the name alone: a shop may be named so by a company — not joined,
            # but shown to an officer rather than dropped as a contradiction
            reason = SOFT_FORM
        if reason is None and w < firm_weight:
            reason = own.hints_conflict(linker.current[target])
        if reason is None and w < firm_weight and named_trades and (
                theirs := linker.current[target].trades()) and not any(
                goods_related(x, y) for x in named_trades for y in theirs):
            reason = OTHER_TRADE
        if reason is not None:
            refused.append((a, b, reason))
        else:
            possible[target] = (a, b, w)
    exact_named = {linker.find(o) for o in named}
    if len(possible) > 1:  # the one entity that carries the record's exact name (a weak record, or one without identity)
        exact_targets = exact_named & set(possible)
        if len(exact_targets) == 1:
            possible = {t: possible[t] for t in exact_targets}
    if len(possible) > 1 and own.trade:  # the one entity registered in the trade its name names (卓和电器有限公司)
        same_trade = {t for t in possible if linker.current[t].trade == own.trade}
        if len(same_trade) == 1:
            possible = {t: possible[t] for t in same_trade}
    if len(possible) > 1 and not own.strong and (named_trades := own.trades()):
        # a shop name that names a trade (焱居家具专营店): the one namesake whose names name that trade too
        same_trade = {t for t in possible if any(trades_compatible(a, b) for a in named_trades
                                                 for b in linker.current[t].trades())}
        if len(same_trade) == 1:
            possible = {t: possible[t] for t in same_trade}
    if len(possible) > 1:  # one firm with an identity, the rest records without one that fit it: the firm
        firms = [t for t in possible if linker.current[t].anchored]
        if len(firms) == 1:
            firm = linker.current[firms[0]]
            if all(linker.current[t].conflicts(firm) is None and linker.current[t].hints_conflict(firm) is None
                   for t in possible if t != firms[0]):
                possible = {firms[0]: possible[firms[0]]}
    if len(possible) == 1:
        target = next(iter(possible))
        if not own.strong or linker.current[target].anchored or target in exact_named:
            linker.join(root, target)
            return True, False, []
        return False, False, refused
    if len(possible) > 1:  # several firms it could be: an officer decides
        refused.extend((a, b, AMBIGUOUS) for a, b, _w in possible.values())
    return False, len(possible) > 1, refused



TORN_MARGIN = 4.0  # bits: a link this much stronger than the one to a contradicting entity still decides


def _torn(linker: _Linker, entity_of: Mapping[int, int], ordered: Sequence[tuple[int, int, float]],
          weak: set[int], firm_weight: float) -> set[int]:
    """Records without an identity of their own (no valid credit code, no registered name with its place) that
    link about as strongly to two entities that cannot be one (sister companies in one building, namesakes
    sharing an agent's phone): such a record must not decide between them by a hair of weight. Their links
    wait for step 3, where a record joins only the one entity it points at, else goes to an officer."""
    unanchored = {e for e, f in linker.current.items() if not f.anchored}
    best: dict[int, dict[int, float]] = {}
    for a, b, w in ordered:  # strongest first; each record's first weight to a partner entity is its strongest
        if w < firm_weight:
            break
        if a in weak or b in weak:
            continue
        ea, eb = entity_of[a], entity_of[b]
        if ea in unanchored:
            partners = best.get(a)
            if partners is None:
                best[a] = {eb: w}
            elif eb not in partners:
                partners[eb] = w
        if eb in unanchored:
            partners = best.get(b)
            if partners is None:
                best[b] = {ea: w}
            elif ea not in partners:
                partners[ea] = w
    out = set()
    for record, partners in best.items():
        if len(partners) < 2:
            continue
        ranked = sorted(partners.items(), key=lambda x: -x[1])
        top, top_w = ranked[0]
        if any(top_w - w < TORN_MARGIN and linker.current[top].conflicts(linker.current[other]) is not None
               for other, w in ranked[1:]):
            out.add(record)
    return out


def _attach_rounds(linker: _Linker, pending: list[int], options: Mapping[int, Mapping[int, tuple[int, int, float]]],
                   named: Mapping[int, set[int]], firm_weight: float) -> tuple[list[int], list[tuple[int, int, str]]]:
    """Step 3 in rounds over `pending` entities: (those still undecided, their AMBIGUOUS refusals — held back, as
    a later join may settle them). Other refusals go to the linking's refused list."""
    while True:
        joined_any, waiting = False, []
        refusals: list[tuple[int, int, str]] = []
        for entity in pending:
            joined, undecided, refused = _attach(linker, entity, options[entity], named.get(entity, ()), firm_weight)
            joined_any |= joined
            if undecided:
                waiting.append(entity)
                refusals.extend((a, b, why) for a, b, why in refused if why == AMBIGUOUS)
                linker.out.refused.extend((a, b, why) for a, b, why in refused if why != AMBIGUOUS)
            else:
                linker.out.refused.extend(refused)
        pending = waiting
        if not joined_any or not pending:
            return pending, refusals


def _join_anchored(linker: _Linker, options: Mapping[int, Mapping[int, tuple[int, int, float]]]) -> bool:
    """Step 4: two entities with identities, each the other's only possible match by name, are one. Whether any
    joined."""
    anchored_candidates: dict[int, dict[int, tuple[int, int, float]]] = {}
    for entity, edges_of in options.items():
        root = linker.find(entity)
        own = linker.current[root]
        if not own.anchored:
            continue
        for other, (a, b, w) in edges_of.items():
            target = linker.find(other)
            theirs = linker.current[target]
            if target == root or not theirs.anchored:
                continue
            if linker.why_not(root, target) is None and own.hints_conflict(theirs) is None:
                anchored_candidates.setdefault(root, {}).setdefault(target, (a, b, w))
    joined = False
    for root, found in sorted(anchored_candidates.items()):
        if len(found) != 1:
            continue
        target = next(iter(found))
        back = anchored_candidates.get(target, {})
        if set(back) == {root}:
            ra, rb = linker.find(root), linker.find(target)
            if ra != rb and linker.why_not(ra, rb) is None:
                linker.join(ra, rb)
                joined = True
    return joined


def link_entities(entity_of: Mapping[int, int], facts: Mapping[int, EntityFacts],
                  edges: Sequence[tuple[int, int, float]], forbidden: Iterable[tuple[int, int]] = (),
                  weak: Iterable[int] = (), firm_weight: float = float("-inf"),
                  same_name: Iterable[tuple[int, int]] = ()) -> Linking:
    """Join entities along record links under the constraints above.

    `entity_of`: record -> entity; `facts`: entity -> facts (every entity of `entity_of`; an entity
    made only of weak records has `strong=False`); `edges`: (record a, record b, weight) above the link
    threshold (and a weak record's name-only links, see `link_candidates`); `forbidden`: entity pairs an
    officer kept apart; `weak`: the weak records; `firm_weight`: links below it serve only step 3;
    `same_name`: record pairs whose names are identical (a weak record pointing at several entities
    goes to the one whose records carry its exact name, if only one does).
    Negative entity ids are provisional (new records); see `_rank` for which entity survives.

    1. links between records that are not weak, strongest first;
    2. links between weak records of entities made only of weak records;
    3. an entity without an identity of its own (no valid credit code, no registered name with its
       place) joins the one entity its links point at, if there is exactly one: an entity of weak
       records joins any, an entity with identifiers only one with an identity (below `firm_weight`
       these are name-only links); links of a weak record inside a stronger entity are refused (a
       bridge);
    4. two entities with identities that agree on the name and on everything both know, each the
       other's only such candidate, are one.
    """
    linker = _Linker(facts, forbidden)
    entity_of = {r: entity_of[r] for a, b, _w in edges for r in (a, b)}  # a plain dict: looked up many times
    weak_set = set(weak)
    ordered = sorted(edges, key=lambda x: -x[2])
    torn = _torn(linker, entity_of, ordered, weak_set, firm_weight)
    later = []
    for a, b, w in ordered:
        if a in weak_set or b in weak_set or w < firm_weight or a in torn or b in torn:
            later.append((a, b, w))
            continue
        ea, eb = linker.find(entity_of[a]), linker.find(entity_of[b])
        if ea == eb:
            continue
        if (reason := linker.why_not(ea, eb)) is not None:
            linker.out.refused.append((a, b, reason))
            continue
        linker.join(ea, eb)
    # weak with weak, inside entities that hold nothing stronger: only when the names are identical
    exact = {(min(a, b), max(a, b)) for a, b in same_name}
    rest = []
    for a, b, w in later:
        ea, eb = linker.find(entity_of[a]), linker.find(entity_of[b])
        if ea == eb:
            continue
        if a in weak_set and b in weak_set and w >= firm_weight and (min(a, b), max(a, b)) in exact \
                and not linker.current[ea].strong and not linker.current[eb].strong:
            if (reason := linker.why_not(ea, eb)) is not None:
                linker.out.refused.append((a, b, reason))
            else:
                linker.join(ea, eb)
            continue
        rest.append((a, b, w))
    # 3. entities without an identity of their own join the one entity their name points at
    options: dict[int, dict[int, tuple[int, int, float]]] = {}
    named: dict[int, set[int]] = {}  # entity -> entities holding a record with one of its names, exactly
    for a, b, w in rest:
        ea, eb = linker.find(entity_of[a]), linker.find(entity_of[b])
        if ea == eb:
            continue
        fa, fb = linker.current[ea], linker.current[eb]
        if (a in weak_set or b in weak_set) and fa.strong and fb.strong and w >= firm_weight:
            linker.out.refused.append((a, b, BRIDGE))
            continue
        # a weak record inside a stronger entity never carries that entity anywhere
        same = (min(a, b), max(a, b)) in exact
        if not fa.strong or a not in weak_set:
            options.setdefault(ea, {}).setdefault(eb, (a, b, w))
            if same:
                named.setdefault(ea, set()).add(eb)
        if not fb.strong or b not in weak_set:
            options.setdefault(eb, {}).setdefault(ea, (a, b, w))
            if same:
                named.setdefault(eb, set()).add(ea)
    # in rounds: once an entity has joined its firm, the next one may see one candidate where it saw two
    # (a shop name with a phone and the same shop name with a URL both pointing at one registered firm)
    pending = sorted(options, key=lambda e: (linker.current[linker.find(e)].strong, e))
    pending, ambiguous = _attach_rounds(linker, pending, options, named, firm_weight)
    # 4. two entities with identities, each the other's only possible match by name, are one
    if _join_anchored(linker, options) and pending:
        # the firms a record was torn between may be one firm now: it is asked again
        pending, ambiguous = _attach_rounds(linker, pending, options, named, firm_weight)
    linker.out.refused.extend(ambiguous)
    linker.out.facts = linker.current
    return linker.out


def split_entity(records: Sequence[int], links: Sequence[tuple[int, int, float]],
                 apart: Iterable[tuple[int, int]], facts: Mapping[int, EntityFacts],
                 weak: Iterable[int] = ()) -> list[list[int]]:
    """Re-cluster one entity's records from their stored links, keeping each `apart` pair separate.

    `facts`: record -> its facts as a one-record entity. Returns the groups, largest first (ties: the
    group with the smallest record first).
    """
    inside = set(records)
    edges = [(a, b, w) for a, b, w in links if a in inside and b in inside]
    forbidden = [(a, b) for a, b in apart if a in inside and b in inside]
    linking = link_entities({r: r for r in records}, {r: facts.get(r, EntityFacts()) for r in records}, edges,
                            forbidden, weak=[r for r in weak if r in inside])
    root = linking.survivor()
    groups: dict[int, list[int]] = {}
    for r in records:
        groups.setdefault(root.get(r, r), []).append(r)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))
