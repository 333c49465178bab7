"""The merge queue's rule for a pair whose alternative was confirmed (newcomer16 N6): it is settled, not pending."""

from __future__ import annotations

import datetime as dt

from national.web.blueprints.merges import Pair, settled_by_sibling

AT = dt.datetime(2026, 12, 2, 18, 50, tzinfo=dt.UTC)
SELLERS = {1: {"name": "华美食品旗舰店", "uscc": None}, 2: {"name": "深圳市华美食品有限公司", "uscc": "91440300MA5FQ7K3R0"},
           3: {"name": "杭州华美食品有限公司", "uscc": "91330100MA2HQ8L4TE"}, 4: {"name": "深圳市华美食品有限公司", "uscc": None}}


def test_a_pending_pair_whose_alternative_was_confirmed_is_settled_by_it() -> None:
    confirmed = [Pair(10, 1, 2, "merged", AT)]
    rows = [*confirmed, Pair(11, 1, 3, "pending"), Pair(12, 3, 1, "pending")]
    got = settled_by_sibling(rows, confirmed, SELLERS)
    assert got == {11: {"review": 10, "name": "深圳市华美食品有限公司", "uscc": "91440300MA5FQ7K3R0", "at": AT},
                   12: {"review": 10, "name": "深圳市华美食品有限公司", "uscc": "91440300MA5FQ7K3R0", "at": AT}}


def test_a_pair_that_can_join_the_confirmed_seller_or_whose_sibling_is_undecided_stays_pending() -> None:
    # the same firm's name without its code: it may be that seller too, so the officer still decides
    assert settled_by_sibling([Pair(11, 1, 4, "pending")], [Pair(10, 1, 2, "merged", AT)], SELLERS) == {}
    # a sibling kept apart or still pending settles nothing; nor does a pair sharing no record
    assert settled_by_sibling([Pair(11, 1, 3, "pending")], [Pair(10, 1, 2, "rejected", AT)], SELLERS) == {}
    assert settled_by_sibling([Pair(11, 3, 4, "pending")], [Pair(10, 1, 2, "merged", AT)], SELLERS) == {}
    # a decided pair is not re-labelled
    assert settled_by_sibling([Pair(11, 1, 3, "rejected")], [Pair(10, 1, 2, "merged", AT)], SELLERS) == {}
