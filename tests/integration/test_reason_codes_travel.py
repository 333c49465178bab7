"""Reason codes travel with a lead: region outbox -> national projection -> case delivered back to every
region, and each node renders them in Chinese from the codes (real mTLS gRPC)."""

from __future__ import annotations

import sqlalchemy as sa

from national.models import NationalLead
from regional import outbox
from regional import reasons as reason_codes
from regional.models import ReceivedCase
from sync.v1 import sync_pb2
from tests.integration.test_casework import USCC, _sync
from tests.integration.test_sync_grpc import NOW, Net, lead_record, region_db, signer_for

CODES = [{"code": "tm.lookalike", "window": "雷碧", "mark": "雪碧", "differ": 1, "detail": "shape"},
         {"code": "tm.cheap", "price": 3, "typical": 17.2}]
SENTENCES = ["mark '雷碧' looks like '雪碧' (1 character differs, look-alike characters)",
             "price 3 is far below the typical 17.2 (counterfeit suspicion)"]


def _with_codes(record: sync_pb2.Record) -> sync_pb2.Record:
    del record.lead.reasons[:]
    record.lead.reasons.extend(SENTENCES)
    record.lead.reason_codes.extend(sync_pb2.ReasonCode(code=c, params_json=p)
                                    for c, p in reason_codes.to_wire(CODES))
    return record


def test_reason_codes_reach_the_national_node_and_come_back_with_the_case(net: Net, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from national.config import NationalConfig
    from national.web import create_app
    from tests.conftest import web_client

    dbs = {code: region_db(net, code) for code in ("440000", "330000")}
    for code, db in dbs.items():
        with db.transaction() as s:
            outbox.append(s, signer_for(net, code), _with_codes(lead_record(f"{code}-rc", "TM-RC", uscc=USCC)), NOW)
    _sync(net, dbs)
    with net.national.read() as s:
        stored = list(s.scalars(sa.select(NationalLead.reason_codes).where(NationalLead.right_number == "TM-RC")))
    assert stored == [CODES, CODES]
    with dbs["440000"].read() as s:
        case = s.scalar(sa.select(ReceivedCase).where(ReceivedCase.right_number == "TM-RC"))
    assert case is not None and all(lead["reason_codes"] == CODES for lead in case.payload["leads"])

    app = create_app(NationalConfig(data_dir=tmp_path, database_url=net.national.url, pki_dir=net.pki))
    with net.national.read() as s:
        uuid = s.scalar(sa.text("SELECT uuid FROM cases WHERE right_number = 'TM-RC'"))
    page = web_client(app).get(f"/cases/{uuid}").get_data(as_text=True)
    assert "标识「雷碧」与「雪碧」近似（1 个字不同，形近字）" in page
    assert "售价 3 远低于同类正品常见价 17.2（涉嫌假冒）" in page
