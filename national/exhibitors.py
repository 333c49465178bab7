"""Exhibitors with infringements confirmed at a show (issue 14, 展会执法维权协作): the national node passes each
region's `exhibitor_infringement` record on to every region as an `exhibitor_flag` downlink item — as the
blacklist travels — so the exhibitor is flagged when it registers for a show in another region.

A projector of national/feed.py (PROJECTORS): one downlink item per province and revision; a revision
already queued for a region is not queued again (projection may run twice after a crash).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from national.models import DownlinkRow, RegionRow
from sync.v1 import sync_pb2

KIND = "exhibitor_flag"


def apply_exhibitor_infringement(session: Session, region: str, record: sync_pb2.Record, now: dt.datetime) -> int:
    """Queue the flag for every province (and any other region the node knows); returns how many were queued."""
    flag = sync_pb2.ExhibitorInfringement()
    flag.CopyFrom(record.exhibitor_infringement)
    flag.region = region  # the hosting region is the sender, whatever the record says
    body = flag.SerializeToString(deterministic=True)
    revision = record.revision or 1
    from sync.regions import PROVINCES

    # every province, also those that have not connected yet: a region joining later still hears it
    regions = sorted(set(PROVINCES) | set(session.scalars(sa.select(RegionRow.code))))
    from national.feed import order_downlink

    order_downlink(session)
    have = set(session.scalars(sa.select(DownlinkRow.region).where(DownlinkRow.uuid == record.uuid,
                                                                   DownlinkRow.revision == revision)))
    queued = 0
    for code in regions:
        if code in have:
            continue
        session.add(DownlinkRow(region=code, uuid=record.uuid, revision=revision, kind=KIND, body=body,
                                created_at=now))
        queued += 1
    return queued
