"""A small message catalogue: Chinese (zh_CN) by default, English on request (?lang=en)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Flask, g, render_template, request

BEIJING = dt.timezone(dt.timedelta(hours=8), "CST")


def localtime(value: dt.datetime | str | None) -> str:
    """A time for display: Beijing time (China has no daylight saving), to the second."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)  # the nodes store UTC
    return value.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M:%S")

DEFAULT = "zh_CN"
LANGS = ("zh_CN", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "app.regional": {"zh_CN": "虎符 · 区域节点", "en": "Hufu · regional node"},
    "app.national": {"zh_CN": "虎符 · 国家节点", "en": "Hufu · national node"},
    "nav.leads": {"zh_CN": "线索", "en": "Leads"},
    "nav.cases": {"zh_CN": "跨区域案件", "en": "Cross-region cases"},
    "nav.sync": {"zh_CN": "同步状态", "en": "Sync status"},
    "nav.regions": {"zh_CN": "区域", "en": "Regions"},
    "nav.audit": {"zh_CN": "审计日志", "en": "Audit log"},
    "lang.switch": {"zh_CN": "English", "en": "中文"},
    "leads.title": {"zh_CN": "侵权线索", "en": "Infringement leads"},
    "leads.empty": {"zh_CN": "暂无线索。导入商品数据后，检测任务会自动筛查。",
                    "en": "No leads yet. Import listings and the screening job will pick them up."},
    "leads.count": {"zh_CN": "共 {n} 条线索", "en": "{n} leads"},
    "col.listing": {"zh_CN": "商品/展品", "en": "Listing"},
    "col.right": {"zh_CN": "权利", "en": "Right"},
    "col.type": {"zh_CN": "类型", "en": "Type"},
    "col.score": {"zh_CN": "评分", "en": "Score"},
    "col.reasons": {"zh_CN": "理由", "en": "Reasons"},
    "col.seller": {"zh_CN": "经营者", "en": "Seller"},
    "col.state": {"zh_CN": "状态", "en": "State"},
    "col.region": {"zh_CN": "区域", "en": "Region"},
    "col.regions": {"zh_CN": "涉及区域", "en": "Regions concerned"},
    "col.lead_region": {"zh_CN": "主办区域", "en": "Lead region"},
    "col.leads": {"zh_CN": "线索数", "en": "Leads"},
    "col.received": {"zh_CN": "接收时间", "en": "Received"},
    "col.formed": {"zh_CN": "立案时间", "en": "Formed"},
    "col.high_water": {"zh_CN": "已确认序号", "en": "Acknowledged sequence"},
    "col.records": {"zh_CN": "备案记录数", "en": "Records filed"},
    "col.lag": {"zh_CN": "同步滞后", "en": "Lag"},
    "lag.value": {"zh_CN": "{n} 条 / {s} 秒", "en": "{n} records / {s} s"},
    "conflicts": {"zh_CN": "{n} 条冲突", "en": "{n} conflicts"},
    "audit.epoch_fenced": {"zh_CN": "启用新纪元（数据库自备份恢复）", "en": "started a new epoch (restored database)"},
    "audit.reconcile": {"zh_CN": "与国家节点对账", "en": "reconciled with the national node"},
    "col.last_contact": {"zh_CN": "最近联络", "en": "Last contact"},
    "col.last_error": {"zh_CN": "最近错误", "en": "Last error"},
    "col.epoch": {"zh_CN": "纪元", "en": "Epoch"},
    "col.at": {"zh_CN": "时间", "en": "Time"},
    "col.actor": {"zh_CN": "操作者", "en": "Actor"},
    "col.action": {"zh_CN": "操作", "en": "Action"},
    "col.detail": {"zh_CN": "详情", "en": "Detail"},
    "cases.title": {"zh_CN": "跨区域案件", "en": "Cross-region cases"},
    "cases.empty": {"zh_CN": "暂无跨区域案件。", "en": "No cross-region cases yet."},
    "cases.received_title": {"zh_CN": "国家节点下发的跨区域案件", "en": "Cross-region cases from the national node"},
    "case.title": {"zh_CN": "案件详情", "en": "Case"},
    "sync.title": {"zh_CN": "与国家节点的同步", "en": "Sync with the national node"},
    "sync.outbox": {"zh_CN": "待上报记录（发件箱）", "en": "Outbox records"},
    "sync.acked": {"zh_CN": "国家节点已确认", "en": "Acknowledged by the national node"},
    "sync.backlog": {"zh_CN": "积压", "en": "Backlog"},
    "sync.cursor": {"zh_CN": "下行游标", "en": "Downlink cursor"},
    "sync.last_push": {"zh_CN": "最近上报成功", "en": "Last successful push"},
    "sync.last_pull": {"zh_CN": "最近下行成功", "en": "Last successful pull"},
    "sync.last_error": {"zh_CN": "最近错误", "en": "Last error"},
    "sync.last_reconcile": {"zh_CN": "最近对账", "en": "Last reconciliation"},
    "regions.title": {"zh_CN": "各区域节点", "en": "Regional nodes"},
    "overview.leads": {"zh_CN": "线索总数", "en": "Leads"},
    "overview.cases": {"zh_CN": "跨区域案件", "en": "Cross-region cases"},
    "overview.regions": {"zh_CN": "接入区域", "en": "Regions connected"},
    "type.trademark": {"zh_CN": "商标侵权", "en": "Trademark infringement"},
    "type.counterfeit_patent": {"zh_CN": "假冒专利", "en": "Counterfeit patent marking"},
    "type.design": {"zh_CN": "外观设计专利侵权", "en": "Design-patent infringement"},
    "type.invention": {"zh_CN": "发明/实用新型专利侵权", "en": "Invention / utility-model infringement"},
    "state.new": {"zh_CN": "待研判", "en": "Awaiting review"},
    "state.confirmed": {"zh_CN": "已确认", "en": "Confirmed"},
    "state.dismissed": {"zh_CN": "已排除", "en": "Dismissed"},
    "none": {"zh_CN": "无", "en": "none"},
    "nav.blacklist": {"zh_CN": "失信名单", "en": "Blacklist"},
    "nav.risk": {"zh_CN": "风险名录", "en": "Risk lists"},
    "risk.title": {"zh_CN": "实时监测名录", "en": "Monitoring lists"},
    "risk.computed": {"zh_CN": "更新时间", "en": "Computed"},
    "risk.not_yet": {"zh_CN": "监测任务尚未运行（每小时一次）。", "en": "Not computed yet (the job runs hourly)."},
    "risk.high_risk_seller": {"zh_CN": "高风险经营者名录", "en": "High-risk sellers"},
    "risk.price_anomaly": {"zh_CN": "价格异常商品", "en": "Price anomalies"},
    "risk.exposed_right": {"zh_CN": "易受侵权的知识产权名录", "en": "Rights most exposed to infringement"},
    "audit.monitoring_lists": {"zh_CN": "更新监测名录", "en": "monitoring lists refreshed"},
    "audit.detection_launched": {"zh_CN": "启动检测", "en": "detection launched"},
    "nav.merges": {"zh_CN": "主体合并审核", "en": "Merge review"},
    "merges.title": {"zh_CN": "经营主体合并审核", "en": "Seller merge review"},
    "merges.help": {"zh_CN": "系统不能确定是否为同一经营主体的配对，由国家局人员确认。确认合并后，相关线索在下一轮归并中组成跨区域案件；撤销合并会撤回由此形成的案件。",
                    "en": "Pairs the system cannot decide are one seller. A confirmed merge joins their leads into a cross-region case at the next run; reversing it withdraws that case."},
    "merges.empty": {"zh_CN": "暂无待审核的配对。", "en": "No pairs to review."},
    "merges.seller_a": {"zh_CN": "经营者甲", "en": "Seller A"},
    "merges.seller_b": {"zh_CN": "经营者乙", "en": "Seller B"},
    "merges.probability": {"zh_CN": "匹配概率", "en": "Match probability"},
    "merges.decide": {"zh_CN": "审核", "en": "Decide"},
    "merges.merge": {"zh_CN": "确认同一主体", "en": "Same seller"},
    "merges.reject": {"zh_CN": "不是同一主体", "en": "Different sellers"},
    "merge_status.pending": {"zh_CN": "待审核", "en": "pending"},
    "merge_status.merged": {"zh_CN": "已合并", "en": "merged"},
    "merge_status.rejected": {"zh_CN": "不合并", "en": "kept apart"},
    "case_status.withdrawn": {"zh_CN": "已撤回", "en": "withdrawn"},
    "audit.merge_decided": {"zh_CN": "主体合并审核", "en": "merge decided"},
    "nav.sweeps": {"zh_CN": "全国专项检测", "en": "Nationwide sweeps"},
    "sweeps.title": {"zh_CN": "全国专项检测（汇集商品数据）", "en": "Nationwide sweeps over pooled listings"},
    "sweeps.empty": {"zh_CN": "尚未开展。命令：hufu national sweep --registry … --listings … --right …",
                     "en": "None yet. Run: hufu national sweep --registry … --listings … --right …"},
    "sweeps.leads": {"zh_CN": "检出线索（按经营者所在省份）", "en": "Leads found (by the seller's province)"},
    "sweeps.classes": {"zh_CN": "商品类别", "en": "classes"},
    "sweeps.all": {"zh_CN": "全部权利", "en": "all rights"},
    "col.name": {"zh_CN": "名称", "en": "Name"},
    "col.scope": {"zh_CN": "范围", "en": "Scope"},
    "col.listings": {"zh_CN": "商品数", "en": "Listings"},
    "col.confirmed": {"zh_CN": "认定案件数", "en": "Confirmed cases"},
    "col.listed": {"zh_CN": "列入时间", "en": "Listed"},
    "dash.by_region": {"zh_CN": "各省线索数（及涉及的跨区域案件）", "en": "Leads by province (and cross-region cases concerned)"},
    "dash.cases_n": {"zh_CN": "{n} 件跨区域案件", "en": "{n} cross-region cases"},
    "dash.by_day": {"zh_CN": "线索按日趋势", "en": "Leads per day"},
    "nav.supervision": {"zh_CN": "督办", "en": "Supervision"},
    "nav.dashboard": {"zh_CN": "统计", "en": "Dashboard"},
    "col.status": {"zh_CN": "状态", "en": "Status"},
    "col.feedback": {"zh_CN": "反馈", "en": "Feedback"},
    "col.note": {"zh_CN": "说明", "en": "Note"},
    "col.outcome": {"zh_CN": "处理结果", "en": "Outcome"},
    "col.phone": {"zh_CN": "电话", "en": "Phone"},
    "col.deadline": {"zh_CN": "办结期限", "en": "Deadline"},
    "col.days_left": {"zh_CN": "剩余天数", "en": "Days left"},
    "case.evidence": {"zh_CN": "证据摘要（各区域存证的哈希值）", "en": "Evidence digests (hashes of each region's preserved evidence)"},
    "case.no_evidence": {"zh_CN": "各区域尚未报送证据摘要。", "en": "No region has filed evidence digests yet."},
    "case.history": {"zh_CN": "办理记录（各区域结果互认）", "en": "History (results recognised by every region)"},
    "case.no_history": {"zh_CN": "暂无办理记录。", "en": "Nothing reported yet."},
    "case.feedback_title": {"zh_CN": "向国家节点报告本区域办理情况", "en": "Report this region's step or result"},
    "case.feedback_sent": {"zh_CN": "已提交，将随下一次同步上报国家节点。", "en": "Recorded; it goes to the national node with the next sync."},
    "form.officer": {"zh_CN": "经办人", "en": "Officer"},
    "form.send": {"zh_CN": "提交", "en": "Send"},
    "feedback.accepted": {"zh_CN": "已受理", "en": "accepted"},
    "feedback.investigating": {"zh_CN": "调查中", "en": "investigating"},
    "feedback.confirmed": {"zh_CN": "认定侵权", "en": "infringement confirmed"},
    "feedback.dismissed": {"zh_CN": "不构成侵权", "en": "no infringement"},
    "feedback.closed": {"zh_CN": "结案", "en": "closed"},
    "feedback.note": {"zh_CN": "备注", "en": "note"},
    "case_status.formed": {"zh_CN": "已下发", "en": "sent to regions"},
    "case_status.investigating": {"zh_CN": "查处中", "en": "under investigation"},
    "case_status.confirmed": {"zh_CN": "已认定侵权", "en": "infringement confirmed"},
    "case_status.dismissed": {"zh_CN": "不构成侵权", "en": "no infringement"},
    "case_status.closed": {"zh_CN": "已结案", "en": "closed"},
    "blacklist.title": {"zh_CN": "全国失信名单（重复侵权）", "en": "National blacklist of repeat infringers"},
    "blacklist.empty": {"zh_CN": "暂无。", "en": "None."},
    "blacklist.removed": {"zh_CN": "已移出", "en": "removed"},
    "supervision.title": {"zh_CN": "督办案件（跨省）", "en": "Cases under national supervision (cross-province)"},
    "supervision.overdue": {"zh_CN": "已逾期", "en": "overdue"},
    "supervision.empty": {"zh_CN": "暂无督办案件。", "en": "No supervised cases."},
    "audit.case_feedback": {"zh_CN": "案件反馈", "en": "case feedback"},
    "audit.blacklisted": {"zh_CN": "列入失信名单", "en": "blacklisted"},
    "colon": {"zh_CN": "：", "en": ": "},
    "sep": {"zh_CN": "、", "en": ", "},
    "node.national": {"zh_CN": "国家知识产权局", "en": "National IP Administration"},
    "footer.time": {"zh_CN": "时间均为北京时间（UTC+8）。", "en": "All times are Beijing time (UTC+8)."},
    "error.404": {"zh_CN": "找不到该页面或记录。", "en": "No such page or record."},
    "error.back": {"zh_CN": "返回首页", "en": "Back to the start page"},
    "sync.outbox_total": {"zh_CN": "发件箱记录总数", "en": "Outbox records (total)"},
    "audit.screen": {"zh_CN": "筛查商品", "en": "screened listings"},
    "audit.import_registry": {"zh_CN": "导入权利数据", "en": "imported registry"},
    "audit.import_listings": {"zh_CN": "导入商品数据", "en": "imported listings"},
    "audit.import_registry_rejected": {"zh_CN": "拒绝导入权利数据（含错误记录）", "en": "rejected a registry file"},
    "audit.import_listings_rejected": {"zh_CN": "拒绝导入商品数据（含错误记录）", "en": "rejected a listings file"},
    "lead_region.mark": {"zh_CN": "主办", "en": "lead"},
}


def translate(key: str, lang: str, **kwargs: object) -> str:
    """The message for `key` in `lang`, falling back to Chinese, then to the key itself."""
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry.get(DEFAULT) or key
    return text.format(**kwargs) if kwargs else text


def init_app(app: Flask, default_lang: str = DEFAULT) -> None:
    """Pick the language per request (?lang=, then cookie, then the node default) and expose `_()`."""

    @app.before_request
    def _pick_lang() -> None:
        lang = request.args.get("lang") or request.cookies.get("lang") or default_lang
        g.lang = lang if lang in LANGS else default_lang

    @app.after_request
    def _remember_lang(response):  # type: ignore[no-untyped-def]
        if request.args.get("lang") in LANGS:
            response.set_cookie("lang", request.args["lang"], max_age=365 * 86400, samesite="Lax")
        return response

    app.add_template_filter(localtime, "localtime")

    @app.template_filter("reason")
    def _reason(text: str) -> str:
        from regional.web.reasons import translate_reason

        return translate_reason(text, getattr(g, "lang", default_lang))

    @app.errorhandler(404)
    def _not_found(_error: Exception) -> tuple[str, int]:
        return render_template("error.html", message_key="error.404"), 404

    @app.context_processor
    def _helpers() -> dict[str, object]:
        lang = getattr(g, "lang", default_lang)
        other = "en" if lang == "zh_CN" else "zh_CN"
        args = {k: v for k, v in request.args.items() if k != "lang"}
        return {
            "lang_url": "?" + urlencode({**args, "lang": other}),
            "_": lambda key, **kw: translate(key, lang, **kw),
            "lang": lang,
            "html_lang": "zh-CN" if lang == "zh_CN" else "en",
            "other_lang": other,
        }
