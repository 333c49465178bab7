"""The base set-up the national case-forming cycle tests share (read23, session 23; was copied in
test_cases21_recent_keys.py and test_cases22_counted_once.py, and as `_lead_rows` in test_incremental_cases.py and
test_cases23_case_inserts.py, which now call it): generated seller records as NationalLead rows."""

from __future__ import annotations

import datetime as dt
import random
import uuid


def lead_rows(records: list[tuple[dict[str, str], int]], start: int, now: dt.datetime, *, rights: int = 40,
              seed: int = 0) -> list[dict[str, object]]:
    """NationalLead rows of generated (record, entity) pairs, listing ids L<start>…, received at `now`, each naming one
    of `rights` trademarks (seeded by `seed + start`)."""
    rng = random.Random(seed + start)
    return [{"uuid": str(uuid.uuid4()), "region": rec["region"], "listing_id": f"L{start + k}",
             "right_number": f"TM-{rng.randint(1, rights)}", "type": "trademark", "score": 0.9, "reasons": [],
             "model_version": "t", "seller_name": rec.get("name"), "seller_uscc": rec.get("uscc"),
             "seller_phone": rec.get("phone"), "seller_address": rec.get("address"),
             "seller_shop_url": rec.get("shop_url"), "received_at": now}
            for k, (rec, _entity) in enumerate(records)]
