"""The models page and the audit log say why a retraining did not enable a candidate, or why it cannot run, in the
reader's language; the page's button refuses before anything is queued or fitted (newcomer16 N7)."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from regional import state
from regional.actors import Actor, audit
from regional.config import RegionalConfig
from regional.models import AuditEntry, LeadRow
from regional.review import promotion, retrain, service
from regional.workflow_models import ModelStatus, ModelVersionRow
from sync.db import Database, run_migrations
from tests.conftest import csrf, web_client
from tests.workflow_data import NOW, REGION, World, build

REPO = Path(__file__).resolve().parents[2]
WANG = Actor("wang", frozenset({"supervisor", "officer"}))


@pytest.fixture
def node(tmp_path: Path) -> tuple[Flask, World]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519

    from regional.web import create_app

    config = RegionalConfig(data_dir=tmp_path / "region", region=REGION)
    config.data_dir.mkdir()
    config.pki_dir.mkdir()
    key = ed25519.Ed25519PrivateKey.generate()
    (config.pki_dir / "signing.key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    run_migrations(config.db_url, REPO / "regional" / "migrations")
    world = build(Database(config.db_url), 48, agencies=False)
    app = create_app(config)
    app.config["TESTING"] = True
    return app, world


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _judge_trademark_leads(world: World) -> None:
    ctx = service.Context(REGION, world.signer, policy=service.Policy(()))
    with world.db.read() as s:
        rows = s.execute(sa.select(LeadRow.uuid, LeadRow.id).where(LeadRow.type == "trademark")).all()
    service.decide_many(world.db, ctx, [u for u, i in rows if i % 2], "confirmed", actor=WANG, now=NOW)
    service.decide_many(world.db, ctx, [u for u, i in rows if not i % 2], "excluded", reason_code="genuine_goods",
                        actor=WANG, now=NOW)


def test_the_button_refuses_up_front_in_chinese_when_no_model_can_be_compared(node: tuple[Flask, World]) -> None:
    app, world = node
    _judge_trademark_leads(world)
    with world.db.read() as s:
        split, refusal = retrain.retrain_readiness(s, "trademark")
    assert refusal is not None and refusal.code is promotion.Code.TOO_FEW_HELD_OUT and split.judgements > 0
    client = web_client(app, "supervisor", "zhao")
    page = _text(client.get("/models").get_data(as_text=True))
    said = (f"留出的人工判断太少，无法比较新旧模型：{split.held_confirmed + split.held_excluded} 条（确认 "
            f"{split.held_confirmed} 条、排除 {split.held_excluded} 条）；至少需要 20 条，且确认、排除各至少 5 条")
    assert f"暂不能重新训练：{said}。" in page  # the trademark model, before anyone presses the button
    assert "暂不能重新训练：该模型的线索尚无人工判断。" in page  # the models nobody judged

    answer = client.post("/models/retrain", data={"csrf_token": csrf(client, "/models")}, follow_redirects=True)
    text = _text(answer.get_data(as_text=True))
    assert "未排队重新训练：本节点的人工判断太少，无法比较重新训练的模型与在用模型。" in text
    assert f"商标侵权模型暂不能重新训练：{said}。" in text
    assert "重新训练已排队" not in text
    with app.extensions["hufu_db"].read() as s:
        assert state.get(s, retrain.RETRAIN_REQUESTED) is None  # the worker will not fit anything
        assert s.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                        .where(AuditEntry.action == "retrain_requested")) == 0

    english = _text(client.get("/models?lang=en").get_data(as_text=True))
    assert "Cannot be retrained yet: no judgements of this model's leads yet." in english


def test_the_button_queues_when_a_model_can_be_compared(node: tuple[Flask, World],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    app, world = node
    _judge_trademark_leads(world)
    monkeypatch.setattr(promotion, "MIN_HELD_OUT", 1)  # this small world's held-out fifth is enough then
    monkeypatch.setattr(promotion, "MIN_HELD_OUT_PER_LABEL", 0)
    client = web_client(app, "supervisor", "zhao")
    text = _text(client.post("/models/retrain", data={"csrf_token": csrf(client, "/models")},
                             follow_redirects=True).get_data(as_text=True))
    assert "重新训练已排队" in text and "未排队" not in text
    with app.extensions["hufu_db"].read() as s:
        assert state.get(s, retrain.RETRAIN_REQUESTED) is not None


def test_each_version_row_says_why_it_was_or_was_not_enabled(node: tuple[Flask, World]) -> None:
    app, _world = node
    lower = promotion.Outcome(promotion.Code.LOWER_RECALL, {"held_out": 30, "candidate": 0.7, "current": 0.8})
    small = {"examples": 9, "positives": 7, "f1": 0.875, "recall": 1.0, "brier": 0.1798}
    with app.extensions["hufu_db"].transaction() as s:
        s.add(ModelVersionRow(model="trademark", version="trademark-440000-20261130.1", artifact={},
                              metrics={"held_out_node": small, "current": {**small, "brier": 0.2318}},
                              status=ModelStatus.CANDIDATE, trained_at=NOW, trained_by="worker"))  # before outcomes
        s.add(ModelVersionRow(model="trademark", version="trademark-440000-20261130.2", artifact={},
                              metrics={}, status=ModelStatus.CANDIDATE, trained_at=NOW, trained_by="worker",
                              outcome_code=lower.code.value, outcome_params=dict(lower.params)))
    client = web_client(app, "supervisor", "zhao")
    page = _text(client.get("/models").get_data(as_text=True))
    assert "候选模型未启用：留出的人工判断太少，无法比较新旧模型：9 条（确认 7 条、排除 2 条）；" in page
    assert "候选模型未启用：在 30 条留出的人工判断上，查全率低于当时在用的模型（0.7 对 0.8），会漏掉已确认的线索。" in page
    assert "held-out" not in page and "too few" not in page


def test_the_audit_log_says_a_retraining_in_chinese_new_entries_and_old(node: tuple[Flask, World]) -> None:
    app, _world = node
    outcome = promotion.held_out_shortfall(7, 2)
    assert outcome is not None
    with app.extensions["hufu_db"].transaction() as s:
        audit(s, Actor("worker (asked by zhao)"), "model_retrained", NOW, model="trademark",
              outcome=outcome.as_json(), started_at=(NOW - dt.timedelta(minutes=2)).isoformat(), promoted=False)
        # an entry written before outcomes were stored: the English reason alone
        audit(s, Actor("worker"), "model_retrained", NOW - dt.timedelta(days=1), model="trademark", promoted=False,
              reason="too few held-out judgements to compare: 9 (7 confirmed, 2 excluded); at least 20, with 5 of "
                     "each, are needed — kept as a candidate")
        audit(s, Actor("worker"), "model_retrained", NOW - dt.timedelta(days=2), model="trademark", promoted=False,
              reason="worse than the current model on the node's 31 held-out judgements (F1, or it finds fewer of "
                     "the confirmed ones)")
    client = web_client(app, "auditor", "qian")
    page = _text(client.get("/audit?action=model_retrained").get_data(as_text=True))
    said = "留出的人工判断太少，无法比较新旧模型：9 条（确认 7 条、排除 2 条）；至少需要 20 条，且确认、排除各至少 5 条"
    assert f"处理结果 候选模型未启用：{said}。" in page  # the new entry's outcome, from its code and numbers
    assert f"原因 候选模型未启用：{said}。" in page  # the old entry's English, read back
    assert "原因 候选模型未启用：在 31 条留出的人工判断上不如当时在用的模型" in page
    assert "开始时间 2026-11-30 16:58:00" in page  # the start, in Beijing time like the entry's own time
    assert "too few" not in page and "held-out" not in page and "worse than" not in page
