"""Writing an evidence package (the zip `hufu evidence verify` checks) and its Chinese summary.

Both nodes export through `build_package`: a region for one lead, the national node for a
case (every region's captures of its leads). Pure: values in, bytes out.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass

from sync import note
from sync.evidence import (
    PACKAGE_FORMAT,
    PackageWriter,
    iso_utc,
    parse_trust,
    proof_json,
    public_pem,
)
from sync.regions import region_name
from sync.times import beijing_text

ROLE_ZH = {
    "listing_record": "商品记录原文（规范化 JSON）",
    "listing_as_stored": "商品记录（节点存储形式，导入早于取证功能）",
    "detection": "检测结果（模型版本与理由）",
    "image": "商品图片",
    "page_html": "网页快照（HTML）",
    "screenshot": "网页截图",
    "attachment": "附件",
}
REASON_ZH = {"lead_created": "线索生成时自动取证", "recapture": "人工重新取证"}
SUMMARY_NAME = "摘要.html"


@dataclass(frozen=True)
class CaptureFiles:
    """Everything a package carries for one capture."""

    manifest: bytes
    manifest_sha256: str
    signature: bytes
    region_head: str
    region_path: Sequence[bytes]
    leaf_index: int
    tree_size: int
    path: Sequence[bytes]
    checkpoint: str  # the national checkpoint note with its co-signatures
    items: dict[str, bytes]  # sha256 -> bytes


def build_package(subject: dict[str, str], captures: Sequence[CaptureFiles], trust_note: str, national_key: bytes,
                  created_by: str, created_at: dt.datetime) -> bytes:
    """The package as zip bytes."""
    w = PackageWriter()
    entries = []
    checkpoints: dict[int, str] = {}
    for c in captures:
        cp = note.parse_checkpoint(note.parse_note(c.checkpoint).text)
        name = f"checkpoints/{cp.size}.note"
        held = checkpoints.get(cp.size)
        if held is None or len(note.parse_note(c.checkpoint).signatures) > len(note.parse_note(held).signatures):
            checkpoints[cp.size] = c.checkpoint  # the most co-signed copy of each checkpoint
        base = f"captures/{c.manifest_sha256}"
        w.add(f"{base}/manifest.json", c.manifest)
        w.add(f"{base}/manifest.sig", base64.b64encode(c.signature) + b"\n")
        w.add(f"{base}/region-head.note", c.region_head.encode())
        proof = proof_json(c.leaf_index, c.tree_size, c.path, name)
        proof["region_path"] = [base64.b64encode(h).decode() for h in c.region_path]
        w.add(f"{base}/proof.json", json.dumps(proof, indent=1).encode())
        for digest, data in c.items.items():
            w.add(f"items/{digest}", data)
        entries.append({"manifest_sha256": c.manifest_sha256})
    for size, text in checkpoints.items():
        w.add(f"checkpoints/{size}.note", text.encode())
    w.add("keys/trust.note", trust_note.encode())
    w.add("keys/national.pub", public_pem(national_key))
    regions = {json.loads(c.manifest)["region"] for c in captures}
    for key in parse_trust(note.parse_note(trust_note).text):
        if key.region in regions and key.valid_until is None:
            w.add(f"keys/region-{key.region}.pub", public_pem(key.public_key))
    w.add("package.json", json.dumps({"format": PACKAGE_FORMAT, "subject": subject, "created_by": created_by,
                                      "created_at": iso_utc(created_at), "captures": entries,
                                      "summary": SUMMARY_NAME}, ensure_ascii=False, indent=1).encode())
    w.add(SUMMARY_NAME, summary_html(subject, captures, national_key, created_by, created_at).encode())
    return w.to_zip()


def _node_zh(name: str) -> str:
    """A node as the summary's reader knows it: 广东省区域节点 (hufu-region-440000), 国家节点 (hufu-national)."""
    if name.startswith("hufu-region-"):
        code = name.removeprefix("hufu-region-")
        return f"{region_name(code)}区域节点（{name}）"
    if name == "hufu-national":
        return f"国家节点（{name}）"
    return name


def _actor_zh(actor: object) -> str:
    """Who captured: the node's own worker (at detection) or the command line, in words; an officer by name."""
    text = "" if actor is None else str(actor)
    if text == "worker":
        return "系统自动取证"
    if text.startswith("cli:"):
        return f"命令行操作（{text.removeprefix('cli:')}）"
    return text


def _e(value: object) -> str:
    return html.escape(str(value if value is not None else ""))


def summary_html(subject: dict[str, str], captures: Sequence[CaptureFiles], national_key: bytes, created_by: str,
                 created_at: dt.datetime) -> str:
    """A self-contained Chinese summary: what was captured, when, by which node, with every digest."""
    kind = "线索" if subject.get("kind") == "lead" else "案件"
    parts = [
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>电子证据包摘要 — {kind} {_e(subject.get('uuid'))}</title>",
        "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;line-height:1.5}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #999;padding:.25em .5em;"
        "vertical-align:top;text-align:left}.h{font-family:monospace;font-size:.85em;word-break:break-all}"
        "h2{border-bottom:2px solid #333}</style></head><body>",
        f"<h1>电子证据包摘要</h1><p>{kind}编号：<span class='h'>{_e(subject.get('uuid'))}</span><br>"
        f"生成节点：{_e(_node_zh(created_by))}<br>生成时间（北京时间）：{_e(beijing_text(created_at))}<br>"
        f"取证记录数：{len(captures)}</p>",
        "<p>本证据包中的每一项证据均以 SHA-256 摘要标识；取证清单由取证区域的签名密钥签名，记入该区域的证据日志，"
        "并记入全国证据日志（RFC 6962 默克尔树）。全国日志检查点由国家节点签名，并经各区域作为见证方核对一致性后联署。"
        "核验只需本包与国家节点公钥：</p>",
        "<pre>hufu evidence verify 本证据包.zip --national-key 国家节点公钥.pem</pre>",
        f"<p>国家节点公钥指纹（SHA-256）：<span class='h'>{_e(note.fingerprint(national_key))}</span></p>",
    ]
    for n, c in enumerate(captures, start=1):
        m = json.loads(c.manifest)
        cp_note = note.parse_note(c.checkpoint)
        cp = note.parse_checkpoint(cp_note.text)
        witnesses = [s.name.removeprefix("hufu-region-") for s in cp_note.signatures if s.name != "hufu-national"]
        parts.append(f"<h2>取证记录 {n}</h2><table>")
        for label, value in (
                ("取证时间（北京时间）", beijing_text(m.get("captured_at"))),
                ("取证节点", f"{_node_zh(str(m.get('node') or ''))}（区域代码 {m.get('region')}）"),
                ("取证方式", REASON_ZH.get(str(m.get("reason")), m.get("reason"))),
                ("操作人", _actor_zh(m.get("captured_by"))),
                ("线索编号", m.get("lead")), ("商品编号", m.get("listing_id")), ("商品链接", m.get("listing_url")),
                ("涉及权利", m.get("right")), ("取证清单摘要", c.manifest_sha256),
                ("区域证据日志位置", f"第 {m.get('log_index')} 项"),
                ("全国证据日志位置", f"第 {c.leaf_index} 项（共 {c.tree_size} 项）"),
                ("全国检查点", f"规模 {cp.size}，时间（北京时间）{beijing_text(cp.time)}，根哈希 {cp.root.hex()}"),
                ("见证联署区域", "、".join(f"{region_name(w)}（{w}）" for w in witnesses) or "无")):
            cls = " class='h'" if label in ("线索编号", "取证清单摘要", "全国检查点") else ""
            parts.append(f"<tr><th>{_e(label)}</th><td{cls}>{_e(value)}</td></tr>")
        parts.append("</table><table><tr><th>证据项</th><th>文件名</th><th>类型</th><th>字节数</th><th>SHA-256</th></tr>")
        for item in m.get("items", []):
            parts.append(f"<tr><td>{_e(ROLE_ZH.get(item.get('role'), item.get('role')))}</td><td>{_e(item.get('name'))}"
                         f"</td><td>{_e(item.get('media_type'))}</td><td>{_e(item.get('size'))}</td>"
                         f"<td class='h'>{_e(item.get('sha256'))}</td></tr>")
        parts.append("</table>")
        refs = m.get("references") or []
        if refs:
            parts.append("<p>记录中提及、但导入时未随附（因此未固定）的网络地址：</p><ul>"
                         + "".join(f"<li class='h'>{_e(r.get('url'))}</li>" for r in refs) + "</ul>")
    parts.append("<h2>本证据包能证明与不能证明的内容</h2><ul>"
                 "<li>能证明：所列文件自取证时间起未被改动；取证清单由所列区域节点签名；"
                 "该清单在检查点时间之前已记入全国证据日志，且各见证区域核对过该日志只增不改。</li>"
                 "<li>不能证明：网页内容本身的真实性（取决于导入来源）；未随附的网络图片；"
                 "取证时间早于区域节点时钟所记时间之外的任何时间。</li></ul></body></html>")
    return "".join(parts)
