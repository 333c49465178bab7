"""newcomer20 D5: a judgement sent to the JSON API with a lone surrogate escape in its text ("\\ud800", which JSON
allows and no UTF-8 can store) answered 500 from the database driver. It is refused with 400 and a code, the lead
stays as it was, and the same text without the escape is taken."""

from __future__ import annotations

import json

from flask import Flask

from tests.integration.test_workflow_web import app, leads, low, token_for  # noqa: F401 (app is a fixture)


def test_a_lone_surrogate_in_an_api_judgement_is_refused_with_400_not_500(app: Flask) -> None:  # noqa: F811
    auth = {"Authorization": f"Bearer {token_for(app, 'bot', 'officer')}", "Content-Type": "application/json"}
    client = app.test_client()
    uuid = low(app)
    for path, body in ((f"/api/leads/{uuid}/judgement", '{"decision": "confirmed", "reason": "标识近似 \\ud800"}'),
                       (f"/api/leads/{uuid}/judgement", '{"decision": "confirmed", "reason": "ok", "\\udfff": 1}'),
                       ("/api/review/batch", json.dumps({"leads": [uuid], "decision": "confirmed"})[:-1]
                        + ', "reason": "x\\ud800"}')):
        answer = client.post(path, data=body, headers=auth)
        assert answer.status_code == 400, (path, answer.status_code, answer.get_data(as_text=True))
        assert answer.get_json()["error"] == "body_bad_characters", body
    assert next(lead for lead in leads(app) if lead.uuid == uuid).state.value == "new"
    taken = client.post(f"/api/leads/{uuid}/judgement", data='{"decision": "confirmed", "reason": "标识近似 \\u4f3c"}',
                        headers=auth)
    assert taken.status_code == 200 and taken.get_json()["state"] == "confirmed"


def test_the_service_refuses_a_lone_surrogate_in_a_reason_like_a_control_character(app: Flask) -> None:  # noqa: F811
    import datetime as dt

    import pytest

    from regional.actors import Actor
    from regional.review.core import WorkflowError
    from regional.web.blueprints.review import _ctx

    uuid = low(app)
    with app.test_request_context(), pytest.raises(WorkflowError) as caught:
        from regional.review import service as review

        review.decide(app.extensions["hufu_db"], _ctx(), uuid, "confirmed", "x\ud800", actor=Actor.system("li"),
                      now=dt.datetime.now(dt.UTC))
    assert caught.value.code == "reason_bad_characters"
    assert next(lead for lead in leads(app) if lead.uuid == uuid).state.value == "new"


def test_a_feed_with_a_lone_surrogate_is_refused_with_400_and_sync_still_opens(app: Flask) -> None:  # noqa: F811
    from tests.conftest import web_client

    auth = {"Authorization": f"Bearer {token_for(app, 'taobao', 'officer')}", "Content-Type": "application/x-ndjson"}
    client = app.test_client()
    body = ('{"id": "tb-s-1", "title": "康帅傅 \\ud800"}\n{"id": "tb-s-2\\udfff", "title": "保温杯"}\n'
            '{"id": "tb-s-3", "title": "保温杯"}\n')
    refused = client.post("/api/feed/listings", data=body.encode(), headers=auth)
    assert refused.status_code == 400, refused.get_data(as_text=True)
    errors = refused.get_json()["errors"]
    assert [e["line"] for e in errors] == [1, 2]
    assert errors[0]["message"].endswith('(got "康帅傅 \\ud800")') and errors[1]["id"] == "tb-s-2\\udfff"
    assert web_client(app, "supervisor").get("/sync").status_code == 200  # the refusal's audit entry reads


def test_a_holders_request_with_a_lone_surrogate_is_refused_with_400(app: Flask) -> None:  # noqa: F811
    import datetime as dt

    from regional.actors import Actor
    from regional.intake import requests

    auth = {"Authorization": f"Bearer {token_for(app, 'kangshifu', 'rights_holder')}"}
    with app.extensions["hufu_db"].transaction() as s:
        requests.set_holder(s, "kangshifu", "顶益（开曼岛）控股有限公司", Actor.system("admin"), dt.datetime.now(dt.UTC))
    client = app.test_client()
    for body in ('{"rights": ["TM-0012345"], "note": "n20 \\ud800"}', '{"rights": ["TM-0012345\\ud800"]}'):
        answer = client.post("/api/holder/requests", data=body, headers={**auth, "Content-Type": "application/json"})
        assert answer.status_code == 400 and answer.get_json()["error"] == "bad_characters", answer.get_data(True)
    taken = client.post("/api/holder/requests", json={"rights": ["TM-0012345"], "note": "n20"}, headers=auth)
    assert taken.status_code == 202, taken.get_data(as_text=True)
