"""Words of the report documents (PDF, XLSX, report pages) in Chinese and English.

The documents are made by the worker and the CLI as well as the web UI, outside any request,
so their words live here as a plain table keyed by `kind:value`; `label(kind, value, lang)`
returns the Chinese by default. The figures themselves carry only codes and numbers.
"""

from __future__ import annotations

from regional.nice import nice_classes

_T: dict[str, tuple[str, str]] = {
    # lead types
    "type:trademark": ("商标侵权", "Trademark infringement"),
    "type:counterfeit_patent": ("假冒专利", "Counterfeit patent marking"),
    "type:design": ("外观设计专利侵权", "Design-patent infringement"),
    "type:invention": ("发明与实用新型专利侵权", "Invention / utility-model infringement"),
    # sources
    "source:ecommerce": ("电子商务", "E-commerce"),
    "source:exhibition": ("展会", "Exhibitions"),
    "source:customs": ("进出口", "Import and export"),
    "source:complaint": ("投诉举报", "Complaints"),
    "source:holder_request": ("权利人申请检测", "Rights-holder requests"),
    "source:": ("未知", "Unknown"),
    # measures
    "measure:detected": ("线索", "Leads"),
    "measure:confirmed": ("确认侵权", "Confirmed"),
    "measure:excluded": ("排除", "Excluded"),
    # case steps and results
    "case_state:filed": ("立案", "Filed"),
    "case_state:investigating": ("调查", "Investigating"),
    "case_state:handling": ("处理", "Handling"),
    "case_state:closed": ("结案", "Closed"),
    "case_result:penalised": ("行政处罚", "Penalised"),
    "case_result:ordered_to_stop": ("责令停止侵权", "Ordered to stop"),
    "case_result:mediated": ("调解结案", "Mediated"),
    "case_result:transferred": ("移送司法机关", "Transferred to justice"),
    "case_result:no_violation": ("不构成侵权", "No violation"),
    "case_result:withdrawn": ("撤销案件", "Withdrawn"),
    "agency_kind:ip_enforcement": ("知识产权执法", "IP enforcement"),
    "agency_kind:market_regulation": ("市场监管", "Market regulation"),
    "agency_kind:rights_assistance": ("维权援助中心", "Rights-assistance centre"),
    "agency_kind:protection_centre": ("知识产权保护中心", "IP protection centre"),
    "agency_kind:customs_liaison": ("海关保护联络", "Customs liaison"),
    "agency_kind:": ("无接收机构", "No receiving body"),  # a lead routed where no body of the directory fits
    "cross_status:formed": ("已分发", "Sent to regions"),
    "cross_status:investigating": ("调查中", "Under investigation"),
    "cross_status:confirmed": ("认定侵权", "Infringement confirmed"),
    "cross_status:dismissed": ("不构成侵权", "No infringement"),
    "cross_status:closed": ("已结案", "Closed"),
    "cross_status:withdrawn": ("已撤回", "Withdrawn"),
    # summary metrics
    "metric:leads": ("线索总数", "Leads"),
    "metric:confirmed": ("确认侵权", "Confirmed"),
    "metric:excluded": ("排除", "Excluded"),
    "metric:judged": ("已判断", "Judged"),
    "metric:pending_end": ("月末待判断", "Pending at month end"),
    "metric:median_hours_to_judge": ("判断用时中位数（小时）", "Median time to judge (hours)"),
    "metric:routed": ("移送线索", "Leads routed"),
    "metric:cases_opened": ("立案", "Cases opened"),
    "metric:cases_closed": ("结案", "Cases closed"),
    "metric:cases_open_end": ("月末在办案件", "Cases in progress at month end"),
    "metric:cases_overdue_end": ("月末超期案件", "Cases overdue at month end"),
    "metric:cross_cases": ("跨区域案件", "Cross-region cases"),
    "metric:supervised": ("督办案件", "Supervised cases"),
    "metric:supervised_overdue": ("督办超期", "Supervised and overdue"),
    "metric:blacklist_added": ("新增失信名单", "Added to the blacklist"),
    "metric:cross_cases_received": ("本月收到跨区域案件", "Cross-region cases received"),
    "metric:cross_cases_held": ("累计跨区域案件", "Cross-region cases held"),
    "metric:cross_steps_reported": ("本月报告办案进展", "Case steps reported"),
    "metric:cross_cases_withdrawn": ("国家节点已撤回的跨区域案件（不计入）", "Cross-region cases withdrawn by the national node (not counted)"),
    "metric:cross_formed": ("本月形成跨区域案件", "Cross-region cases formed"),
    "metric:cross_open_end": ("月末未结跨区域案件", "Cross-region cases open at month end"),
    "metric:cross_closed": ("本月办结跨区域案件", "Cross-region cases closed"),
    "metric:cross_withdrawn": ("本月形成后已撤回的跨区域案件（不计入）", "Cross-region cases formed and since withdrawn (not counted)"),
    "metric:regions_reported": ("已报送月报的区域", "Regions that reported"),
    "metric:regions_missing": ("未报送月报的区域", "Regions that have not reported"),
    # columns
    "col:key": ("项目", "Item"),
    "col:code": ("编号", "Code"),
    "col:dates": ("展期", "Dates"),
    "col:exhibits": ("报备展品", "Exhibits filed"),
    "col:screened": ("已筛查", "Screened"),
    "col:complaints": ("现场投诉", "Station complaints"),
    "col:resolved": ("已办结", "Resolved"),
    "col:dismissed": ("不成立", "Not upheld"),
    "col:open": ("未办结", "Open"),
    "col:on_time": ("按期办结", "Closed in time"),
    "col:value": ("本月", "This month"),
    "col:previous": ("上月", "Last month"),
    "col:mom": ("环比", "Month on month"),
    "col:year_ago": ("去年同月", "Same month last year"),
    "col:yoy": ("同比", "Year on year"),
    "col:day": ("日期", "Day"),
    "col:detected": ("线索", "Leads"),
    "col:confirmed": ("确认侵权", "Confirmed"),
    "col:excluded": ("排除", "Excluded"),
    "col:judged": ("已判断", "Judged"),
    "col:pending_end": ("月末待判断", "Pending at month end"),
    "col:median_hours": ("判断用时中位数（小时）", "Median hours to judge"),
    "col:agency": ("接收机构", "Receiving body"),
    "col:agency_kind": ("机构类别", "Kind"),
    "col:routed": ("移送线索", "Leads routed"),
    "col:opened": ("立案", "Opened"),
    "col:closed": ("结案", "Closed"),
    "col:open_end": ("月末在办", "In progress at month end"),
    "col:overdue_end": ("月末超期", "Overdue at month end"),
    "col:step": ("环节", "Step"),
    "col:median_days": ("用时中位数（天）", "Median days"),
    "col:mean_days": ("平均用时（天）", "Mean days"),
    "col:steps": ("完成次数", "Steps completed"),
    "col:overdue_steps": ("超期次数", "Overdue"),
    "col:result": ("结案方式", "Result"),
    "col:cases": ("案件数", "Cases"),
    "col:status": ("状态", "Status"),
    "col:right": ("权利", "Right"),
    "col:right_title": ("名称", "Title"),
    "col:leads": ("线索", "Leads"),
    "col:seller": ("商家", "Seller"),
    "col:uscc": ("统一社会信用代码", "Credit code"),
    "col:name": ("名称", "Name"),
    "col:region": ("区域", "Region"),
    "col:area": ("地区", "Area"),
    "col:industry": ("产业（尼斯分类）", "Industry (Nice class)"),
    "col:core": ("优势产业", "Core industry"),
    "col:metric": ("指标", "Measure"),
    "col:received": ("收到", "Received"),
    "col:reported": ("报送", "Reported"),
    "col:filed_at": ("报送时间", "Filed at"),
    "col:revision": ("版本", "Revision"),
    "col:records": ("记录数", "Records"),
    "col:kind": ("类别", "Kind"),
    "col:supervised": ("督办", "Supervised"),
    "col:overdue": ("超期", "Overdue"),
    "col:deadline": ("期限", "Deadline"),
    "col:formed": ("新形成", "Formed"),
    "col:lag_records": ("积压记录", "Backlog (records)"),
    "col:lag_seconds": ("滞后（秒）", "Lag (seconds)"),
    "col:conflicts": ("冲突", "Conflicts"),
    "col:last_contact": ("最近联系", "Last contact"),
    "col:last_error": ("最近错误", "Last error"),
    "col:reconcile": ("最近对账", "Last reconciliation"),
    "col:filing": ("月报", "Monthly report"),
    "col:standing": ("同步状态（报告生成时）", "Sync standing (when the report was made)"),
    "col:error_at": ("未恢复的同步错误时间", "Unresolved sync error at"),
    "col:reconcile_at": ("最近对账时间", "Last reconciliation"),
    "col:reconcile_ranges": ("最近对账核对区间", "Ranges compared"),
    "col:reconcile_divergent": ("最近对账不一致区间", "Ranges that differed"),
    "standing:ok": ("正常", "OK"),
    "standing:silent": ("长时间未联系", "Silent"),
    "standing:refused": ("交换被拒绝，尚未恢复", "Refused, not recovered"),
    "standing:never": ("从未成功同步", "Never synced"),
    "standing:split_brain": ("检测到两份在用的数据库副本", "Two live copies of its database"),
    "col:filed_leads": ("月报线索数", "Leads in its report"),
    "col:national_leads": ("国家节点收到", "Leads received nationally"),
    "col:difference": ("差异", "Difference"),
    "col:value_text": ("值", "Value"),
    "col:regions": ("涉及区域", "Regions"),
    # sections
    "section:summary": ("总体情况", "Summary"),
    "section:leads_by_type": ("线索·按侵权类型", "Leads by type"),
    "section:leads_by_source": ("线索·按来源", "Leads by source"),
    "section:leads_by_industry": ("线索·按产业", "Leads by industry"),
    "section:leads_by_area": ("线索·按地区", "Leads by area"),
    "section:leads_by_day": ("线索·逐日", "Leads by day"),
    "section:judgements": ("人工判断", "Judgements"),
    "section:routing": ("线索移送", "Routing"),
    "section:cases": ("案件办理", "Cases"),
    "section:case_steps": ("办案环节用时", "Time per step"),
    "section:case_results": ("结案方式", "Case results"),
    "section:cross_region": ("跨区域案件与督办", "Cross-region cases and supervision"),
    "section:blacklist": ("失信名单", "Blacklist"),
    "section:exhibitions": ("展会知识产权保护", "Exhibitions"),
    "section:supervision": ("督办案件（超期优先）", "Supervised cases (overdue first)"),
    "section:top_rights": ("易受侵权的权利", "Rights most exposed"),
    "section:top_sellers": ("线索最多的商家", "Sellers with most leads"),
    "section:sync": ("同步健康", "Sync health"),
    "section:filings": ("各区域月报报送情况", "Regions' monthly filings"),
    # sync metrics
    "sync:records_filed": ("本月报送记录", "Records filed this month"),
    "sync:backlog": ("待确认记录（报告生成时）", "Unacknowledged records (when the report was made)"),
    "sync:acked": ("国家节点已确认序号（报告生成时）", "Sequence acknowledged by the national node (when the report was made)"),
    "sync:last_push_ok": ("最近一次成功报送（报告生成时）", "Last successful push (when the report was made)"),
    "sync:last_error": ("未恢复的同步错误，发生于（详情见「同步」页面）",
                        "Unresolved sync error, at (details on the Sync page)"),
    "sync:reconciliations": ("本月对账次数", "Reconciliations this month"),
    "sync:divergent": ("本月对账不一致区间", "Diverging ranges this month"),
    "sync:last_reconcile": ("最近对账时间（报告生成时）", "Last reconciliation (when the report was made)"),
    "sync:last_reconcile_ranges": ("最近对账：核对区间数", "Last reconciliation: ranges compared"),
    "sync:last_reconcile_divergent": ("最近对账：不一致区间数", "Last reconciliation: ranges that differed"),
    "sync:state_not_recorded": ("当月月末的同步状态未留存（节点只保存当前状态；已报送的月报版本保留报送时的状态）",
                                "The sync state at the month's end is not recorded (the node keeps only its current "
                                "state; a filed revision keeps the state when it was filed)"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("无", "none"),
    "unknown_area": ("未知地区", "Unknown"),
    "doc:title_region": ("知识产权保护月报", "Monthly IP protection report"),
    "doc:title_national": ("全国知识产权保护月报", "National monthly IP protection report"),
    "doc:generated": ("生成时间", "Generated"),
    "doc:page": ("第 {page} 页 / 共 {pages} 页", "Page {page} of {pages}"),
    "doc:no_data": ("本月无数据", "No data this month"),
    "doc:missing": ("未报送", "not reported"),
    "no_agency": ("无接收机构", "No receiving body"),
    "doc:reported": ("已报送", "reported"),
}


def label(kind: str, value: object, lang: str = "zh") -> str:
    """The words for a coded value (`kind` e.g. "type", "source", "col"); the value itself when unknown."""
    if kind == "industry":
        try:
            number = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            number = 0
        cls = nice_classes().get(number)
        if cls is None:
            return "未知" if lang.startswith("zh") else "Unknown"
        return f"第{number}类 {cls.zh_short}" if lang.startswith("zh") else f"Class {number} {cls.en_short}"
    if kind in ("area", "region"):
        return area_name(str(value or ""), lang)
    words = _T.get(f"{kind}:{value}") if kind else _T.get(str(value))
    if words is None:
        return str(value)
    return words[0] if lang.startswith("zh") else words[1]


def word(key: str, lang: str = "zh") -> str:
    """A word of the document itself (`doc:title_region`, `yes`, …)."""
    words = _T.get(key)
    return key if words is None else (words[0] if lang.startswith("zh") else words[1])


def area_name(code: str, lang: str = "zh") -> str:
    """A division's name: 深圳市, 广东省 …; 未知地区 for ''."""
    if not code:
        return word("unknown_area", lang)
    from regional.routing.places import divisions
    from sync.regions import region_name

    if code.endswith("0000"):
        return region_name(code, lang)
    name = divisions().name(code)
    return name or code
