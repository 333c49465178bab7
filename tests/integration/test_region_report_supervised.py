"""newcomer18 N4: a region's monthly report said 督办案件 0 while the national one counted every cross-region case
as supervised: the case message the regions receive carried no "supervised"."""

from __future__ import annotations

import sqlalchemy as sa

from national.models import CaseRow
from regional import outbox
from regional.models import ReceivedCase
from regional.reports.figures import cross_region_section
from regional.reports.periods import Month
from sync.v1 import sync_pb2
from tests.integration.test_casework import _sync
from tests.integration.test_sync_grpc import NOW, Net, lead_record, region_db, signer_for

USCC = "91440300590830169D"


def _value(section: dict, key: str) -> int:  # type: ignore[type-arg]
    return next(r["value"] for r in section["rows"] if r["key"] == key)


def test_a_regions_report_counts_the_supervised_cases_it_received(net: Net) -> None:
    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    for code, db in dbs.items():
        with db.transaction() as s:
            outbox.append(s, signer_for(net, code), lead_record(f"{code}-sv", "TM-0000919", uscc=USCC), NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        [case] = list(s.scalars(sa.select(CaseRow)))
    assert case.supervised
    for code, db in dbs.items():
        with db.read() as s:
            copy = s.scalar(sa.select(ReceivedCase))
            section = cross_region_section(s, Month.of(NOW.date()))
        assert copy is not None and copy.payload.get("supervised") is True, code
        assert _value(section, "cross_cases_held") == 1 and _value(section, "supervised") == 1, code


def test_a_case_from_an_older_national_node_says_nothing_about_supervision() -> None:
    """The field is optional: a message without it (a national node before session 18) reads as not said."""
    old = sync_pb2.CrossRegionCase(case_uuid="c", right="TM-1", regions=["440000", "330000"])
    assert not old.HasField("supervised")
    assert sync_pb2.CrossRegionCase.FromString(sync_pb2.CrossRegionCase(supervised=True).SerializeToString()) \
        .HasField("supervised")
