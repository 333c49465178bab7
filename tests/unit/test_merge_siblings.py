"""The merge queue's rule for a pair whose alternative was confirmed (newcomer16 N6): it is settled, not pending."""

from __future__ import annotations

import datetime as dt

from national.web.blueprints.merges import Pair, exclusive, same_seller, settled_by_sibling

AT = dt.datetime(2026, 12, 2, 18, 50, tzinfo=dt.UTC)
SELLERS = {1: {"name": "华美食品旗舰店", "uscc": None}, 2: {"name": "深圳市华美食品有限公司", "uscc": "91440300MA5FQ7K3R0"},
           3: {"name": "杭州华美食品有限公司", "uscc": "91330100MA2HQ8L4TE"}, 4: {"name": "深圳市华美食品有限公司", "uscc": None}}


def test_a_pending_pair_whose_alternative_was_confirmed_is_settled_by_it() -> None:
    confirmed = [Pair(10, 1, 2, "merged", AT)]
    rows = [*confirmed, Pair(11, 1, 3, "pending"), Pair(12, 3, 1, "pending")]
    got = settled_by_sibling(rows, confirmed, SELLERS)
    assert got == {11: {"review": 10, "name": "深圳市华美食品有限公司", "uscc": "91440300MA5FQ7K3R0", "at": AT,
                        "same": False},
                   12: {"review": 10, "name": "深圳市华美食品有限公司", "uscc": "91440300MA5FQ7K3R0", "at": AT,
                        "same": False}}


def test_a_pair_that_can_join_the_confirmed_seller_or_whose_sibling_is_undecided_stays_pending() -> None:
    # the same firm's name without its code: it may be that seller too, so the officer still decides
    assert settled_by_sibling([Pair(11, 1, 4, "pending")], [Pair(10, 1, 2, "merged", AT)], SELLERS) == {}
    # a sibling kept apart or still pending settles nothing; nor does a pair sharing no record
    assert settled_by_sibling([Pair(11, 1, 3, "pending")], [Pair(10, 1, 2, "rejected", AT)], SELLERS) == {}
    assert settled_by_sibling([Pair(11, 3, 4, "pending")], [Pair(10, 1, 2, "merged", AT)], SELLERS) == {}
    # a decided pair is not re-labelled
    assert settled_by_sibling([Pair(11, 1, 3, "rejected")], [Pair(10, 1, 2, "merged", AT)], SELLERS) == {}


def test_a_pair_whose_other_seller_is_the_confirmed_one_is_settled_as_the_same() -> None:
    """newcomer18 N3: 深圳市博鹏商贸有限公司 and 博鹏商贸批发部 carry one credit code: one firm, not alternatives."""
    sellers = {1: {"name": "博鹏商贸", "uscc": None}, 2: {"name": "深圳市博鹏商贸有限公司", "uscc": "91440300590830169D"},
               3: {"name": "博鹏商贸批发部", "uscc": "91440300590830169D"}, 4: {"name": "博鹏商贸商行", "entity": "7"},
               5: {"name": "博鹏百货", "entity": "7"}}
    assert not exclusive(sellers[2], sellers[3]) and same_seller(sellers[2], sellers[3])
    assert not exclusive(sellers[4], sellers[5]) and same_seller(sellers[4], sellers[5])  # one entity
    assert exclusive(sellers[2], sellers[4])
    got = settled_by_sibling([Pair(11, 1, 3, "pending")], [Pair(10, 1, 2, "merged", AT)], sellers)
    assert got == {11: {"review": 10, "name": "深圳市博鹏商贸有限公司", "uscc": "91440300590830169D", "at": AT,
                        "same": True}}


def test_a_pair_offered_after_a_confirmation_was_never_its_alternative() -> None:
    """newcomer18 N3b: A=B confirmed, then a new record C matching B: neither C pair is "settled" by A=B."""
    later = AT + dt.timedelta(hours=1)
    assert settled_by_sibling([Pair(11, 1, 3, "pending", None, later)], [Pair(10, 1, 2, "merged", AT)], SELLERS) == {}
    assert 11 in settled_by_sibling([Pair(11, 1, 3, "pending", None, AT - dt.timedelta(hours=1))],
                                    [Pair(10, 1, 2, "merged", AT)], SELLERS)
