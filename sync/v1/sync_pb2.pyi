from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Lead(_message.Message):
    __slots__ = ("listing_id", "right", "type", "score", "reasons", "model_version", "seller", "listing_title", "listing_url", "platform", "source", "right_title", "detected_at", "state", "reason_codes", "origin", "industry", "city")
    LISTING_ID_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    SELLER_FIELD_NUMBER: _ClassVar[int]
    LISTING_TITLE_FIELD_NUMBER: _ClassVar[int]
    LISTING_URL_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    RIGHT_TITLE_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AT_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    REASON_CODES_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    INDUSTRY_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    listing_id: str
    right: str
    type: str
    score: float
    reasons: _containers.RepeatedScalarFieldContainer[str]
    model_version: str
    seller: Seller
    listing_title: str
    listing_url: str
    platform: str
    source: str
    right_title: str
    detected_at: str
    state: str
    reason_codes: _containers.RepeatedCompositeFieldContainer[ReasonCode]
    origin: str
    industry: int
    city: str
    def __init__(self, listing_id: _Optional[str] = ..., right: _Optional[str] = ..., type: _Optional[str] = ..., score: _Optional[float] = ..., reasons: _Optional[_Iterable[str]] = ..., model_version: _Optional[str] = ..., seller: _Optional[_Union[Seller, _Mapping]] = ..., listing_title: _Optional[str] = ..., listing_url: _Optional[str] = ..., platform: _Optional[str] = ..., source: _Optional[str] = ..., right_title: _Optional[str] = ..., detected_at: _Optional[str] = ..., state: _Optional[str] = ..., reason_codes: _Optional[_Iterable[_Union[ReasonCode, _Mapping]]] = ..., origin: _Optional[str] = ..., industry: _Optional[int] = ..., city: _Optional[str] = ...) -> None: ...

class ReasonCode(_message.Message):
    __slots__ = ("code", "params_json")
    CODE_FIELD_NUMBER: _ClassVar[int]
    PARAMS_JSON_FIELD_NUMBER: _ClassVar[int]
    code: str
    params_json: str
    def __init__(self, code: _Optional[str] = ..., params_json: _Optional[str] = ...) -> None: ...

class Seller(_message.Message):
    __slots__ = ("name", "uscc", "phone", "address", "shop_url")
    NAME_FIELD_NUMBER: _ClassVar[int]
    USCC_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    SHOP_URL_FIELD_NUMBER: _ClassVar[int]
    name: str
    uscc: str
    phone: str
    address: str
    shop_url: str
    def __init__(self, name: _Optional[str] = ..., uscc: _Optional[str] = ..., phone: _Optional[str] = ..., address: _Optional[str] = ..., shop_url: _Optional[str] = ...) -> None: ...

class Filing(_message.Message):
    __slots__ = ("subject", "body_json")
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    BODY_JSON_FIELD_NUMBER: _ClassVar[int]
    subject: str
    body_json: str
    def __init__(self, subject: _Optional[str] = ..., body_json: _Optional[str] = ...) -> None: ...

class ReviewOutcome(_message.Message):
    __slots__ = ("lead_uuid", "outcome", "officer", "reason", "reason_code", "decided_at", "detected_at", "second_reviewer", "model_version")
    LEAD_UUID_FIELD_NUMBER: _ClassVar[int]
    OUTCOME_FIELD_NUMBER: _ClassVar[int]
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REASON_CODE_FIELD_NUMBER: _ClassVar[int]
    DECIDED_AT_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AT_FIELD_NUMBER: _ClassVar[int]
    SECOND_REVIEWER_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    lead_uuid: str
    outcome: str
    officer: str
    reason: str
    reason_code: str
    decided_at: str
    detected_at: str
    second_reviewer: str
    model_version: str
    def __init__(self, lead_uuid: _Optional[str] = ..., outcome: _Optional[str] = ..., officer: _Optional[str] = ..., reason: _Optional[str] = ..., reason_code: _Optional[str] = ..., decided_at: _Optional[str] = ..., detected_at: _Optional[str] = ..., second_reviewer: _Optional[str] = ..., model_version: _Optional[str] = ...) -> None: ...

class CaseFeedback(_message.Message):
    __slots__ = ("case_uuid", "status", "note", "officer", "step", "result")
    CASE_UUID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    case_uuid: str
    status: str
    note: str
    officer: str
    step: str
    result: str
    def __init__(self, case_uuid: _Optional[str] = ..., status: _Optional[str] = ..., note: _Optional[str] = ..., officer: _Optional[str] = ..., step: _Optional[str] = ..., result: _Optional[str] = ...) -> None: ...

class EvidenceDigest(_message.Message):
    __slots__ = ("lead_uuid", "sha256", "media_type", "manifest", "manifest_signature", "log_index", "region_head")
    LEAD_UUID_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    MEDIA_TYPE_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    LOG_INDEX_FIELD_NUMBER: _ClassVar[int]
    REGION_HEAD_FIELD_NUMBER: _ClassVar[int]
    lead_uuid: str
    sha256: str
    media_type: str
    manifest: bytes
    manifest_signature: bytes
    log_index: int
    region_head: str
    def __init__(self, lead_uuid: _Optional[str] = ..., sha256: _Optional[str] = ..., media_type: _Optional[str] = ..., manifest: _Optional[bytes] = ..., manifest_signature: _Optional[bytes] = ..., log_index: _Optional[int] = ..., region_head: _Optional[str] = ...) -> None: ...

class Tombstone(_message.Message):
    __slots__ = ("kind", "reason", "sha256", "size")
    KIND_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    kind: str
    reason: str
    sha256: str
    size: int
    def __init__(self, kind: _Optional[str] = ..., reason: _Optional[str] = ..., sha256: _Optional[str] = ..., size: _Optional[int] = ...) -> None: ...

class MonthlyReport(_message.Message):
    __slots__ = ("month", "revision", "office", "generated_at", "generated_by", "figures_json")
    MONTH_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    OFFICE_FIELD_NUMBER: _ClassVar[int]
    GENERATED_AT_FIELD_NUMBER: _ClassVar[int]
    GENERATED_BY_FIELD_NUMBER: _ClassVar[int]
    FIGURES_JSON_FIELD_NUMBER: _ClassVar[int]
    month: str
    revision: int
    office: str
    generated_at: str
    generated_by: str
    figures_json: str
    def __init__(self, month: _Optional[str] = ..., revision: _Optional[int] = ..., office: _Optional[str] = ..., generated_at: _Optional[str] = ..., generated_by: _Optional[str] = ..., figures_json: _Optional[str] = ...) -> None: ...

class EmarkEvent(_message.Message):
    __slots__ = ("mark_id", "event", "right", "product", "reason", "at", "officer")
    MARK_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    OFFICER_FIELD_NUMBER: _ClassVar[int]
    mark_id: str
    event: str
    right: str
    product: str
    reason: str
    at: str
    officer: str
    def __init__(self, mark_id: _Optional[str] = ..., event: _Optional[str] = ..., right: _Optional[str] = ..., product: _Optional[str] = ..., reason: _Optional[str] = ..., at: _Optional[str] = ..., officer: _Optional[str] = ...) -> None: ...

class Record(_message.Message):
    __slots__ = ("region", "epoch", "sequence", "uuid", "revision", "created_at", "lead", "filing", "review_outcome", "case_feedback", "evidence_digest", "tombstone", "monthly_report", "emark_event", "exhibitor_infringement")
    REGION_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    UUID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LEAD_FIELD_NUMBER: _ClassVar[int]
    FILING_FIELD_NUMBER: _ClassVar[int]
    REVIEW_OUTCOME_FIELD_NUMBER: _ClassVar[int]
    CASE_FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    EVIDENCE_DIGEST_FIELD_NUMBER: _ClassVar[int]
    TOMBSTONE_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_REPORT_FIELD_NUMBER: _ClassVar[int]
    EMARK_EVENT_FIELD_NUMBER: _ClassVar[int]
    EXHIBITOR_INFRINGEMENT_FIELD_NUMBER: _ClassVar[int]
    region: str
    epoch: int
    sequence: int
    uuid: str
    revision: int
    created_at: str
    lead: Lead
    filing: Filing
    review_outcome: ReviewOutcome
    case_feedback: CaseFeedback
    evidence_digest: EvidenceDigest
    tombstone: Tombstone
    monthly_report: MonthlyReport
    emark_event: EmarkEvent
    exhibitor_infringement: ExhibitorInfringement
    def __init__(self, region: _Optional[str] = ..., epoch: _Optional[int] = ..., sequence: _Optional[int] = ..., uuid: _Optional[str] = ..., revision: _Optional[int] = ..., created_at: _Optional[str] = ..., lead: _Optional[_Union[Lead, _Mapping]] = ..., filing: _Optional[_Union[Filing, _Mapping]] = ..., review_outcome: _Optional[_Union[ReviewOutcome, _Mapping]] = ..., case_feedback: _Optional[_Union[CaseFeedback, _Mapping]] = ..., evidence_digest: _Optional[_Union[EvidenceDigest, _Mapping]] = ..., tombstone: _Optional[_Union[Tombstone, _Mapping]] = ..., monthly_report: _Optional[_Union[MonthlyReport, _Mapping]] = ..., emark_event: _Optional[_Union[EmarkEvent, _Mapping]] = ..., exhibitor_infringement: _Optional[_Union[ExhibitorInfringement, _Mapping]] = ...) -> None: ...

class ExhibitorInfringement(_message.Message):
    __slots__ = ("exhibitor", "uscc", "exhibition", "exhibition_code", "ends_on", "infringements", "summary", "region")
    EXHIBITOR_FIELD_NUMBER: _ClassVar[int]
    USCC_FIELD_NUMBER: _ClassVar[int]
    EXHIBITION_FIELD_NUMBER: _ClassVar[int]
    EXHIBITION_CODE_FIELD_NUMBER: _ClassVar[int]
    ENDS_ON_FIELD_NUMBER: _ClassVar[int]
    INFRINGEMENTS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    exhibitor: str
    uscc: str
    exhibition: str
    exhibition_code: str
    ends_on: str
    infringements: int
    summary: str
    region: str
    def __init__(self, exhibitor: _Optional[str] = ..., uscc: _Optional[str] = ..., exhibition: _Optional[str] = ..., exhibition_code: _Optional[str] = ..., ends_on: _Optional[str] = ..., infringements: _Optional[int] = ..., summary: _Optional[str] = ..., region: _Optional[str] = ...) -> None: ...

class Envelope(_message.Message):
    __slots__ = ("record", "sequence")
    RECORD_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    record: bytes
    sequence: int
    def __init__(self, record: _Optional[bytes] = ..., sequence: _Optional[int] = ...) -> None: ...

class Hello(_message.Message):
    __slots__ = ("region", "epoch", "software", "outbox_head", "oldest_unsent_at", "lead_count", "acked", "acked_leaf", "epoch_grant")
    REGION_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    SOFTWARE_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_HEAD_FIELD_NUMBER: _ClassVar[int]
    OLDEST_UNSENT_AT_FIELD_NUMBER: _ClassVar[int]
    LEAD_COUNT_FIELD_NUMBER: _ClassVar[int]
    ACKED_FIELD_NUMBER: _ClassVar[int]
    ACKED_LEAF_FIELD_NUMBER: _ClassVar[int]
    EPOCH_GRANT_FIELD_NUMBER: _ClassVar[int]
    region: str
    epoch: int
    software: str
    outbox_head: int
    oldest_unsent_at: str
    lead_count: int
    acked: int
    acked_leaf: bytes
    epoch_grant: bytes
    def __init__(self, region: _Optional[str] = ..., epoch: _Optional[int] = ..., software: _Optional[str] = ..., outbox_head: _Optional[int] = ..., oldest_unsent_at: _Optional[str] = ..., lead_count: _Optional[int] = ..., acked: _Optional[int] = ..., acked_leaf: _Optional[bytes] = ..., epoch_grant: _Optional[bytes] = ...) -> None: ...

class Divergence(_message.Message):
    __slots__ = ("reason", "outbox_head", "national_high_water")
    REASON_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_HEAD_FIELD_NUMBER: _ClassVar[int]
    NATIONAL_HIGH_WATER_FIELD_NUMBER: _ClassVar[int]
    reason: str
    outbox_head: int
    national_high_water: int
    def __init__(self, reason: _Optional[str] = ..., outbox_head: _Optional[int] = ..., national_high_water: _Optional[int] = ...) -> None: ...

class Batch(_message.Message):
    __slots__ = ("first_sequence", "count", "digest", "envelopes", "signature")
    FIRST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    ENVELOPES_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    first_sequence: int
    count: int
    digest: bytes
    envelopes: _containers.RepeatedCompositeFieldContainer[Envelope]
    signature: bytes
    def __init__(self, first_sequence: _Optional[int] = ..., count: _Optional[int] = ..., digest: _Optional[bytes] = ..., envelopes: _Optional[_Iterable[_Union[Envelope, _Mapping]]] = ..., signature: _Optional[bytes] = ...) -> None: ...

class UplinkMessage(_message.Message):
    __slots__ = ("hello", "batch", "divergence")
    HELLO_FIELD_NUMBER: _ClassVar[int]
    BATCH_FIELD_NUMBER: _ClassVar[int]
    DIVERGENCE_FIELD_NUMBER: _ClassVar[int]
    hello: Hello
    batch: Batch
    divergence: Divergence
    def __init__(self, hello: _Optional[_Union[Hello, _Mapping]] = ..., batch: _Optional[_Union[Batch, _Mapping]] = ..., divergence: _Optional[_Union[Divergence, _Mapping]] = ...) -> None: ...

class Welcome(_message.Message):
    __slots__ = ("high_water", "epoch", "high_water_leaf")
    HIGH_WATER_FIELD_NUMBER: _ClassVar[int]
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    HIGH_WATER_LEAF_FIELD_NUMBER: _ClassVar[int]
    high_water: int
    epoch: int
    high_water_leaf: bytes
    def __init__(self, high_water: _Optional[int] = ..., epoch: _Optional[int] = ..., high_water_leaf: _Optional[bytes] = ...) -> None: ...

class Ack(_message.Message):
    __slots__ = ("first_sequence", "applied", "duplicates", "high_water")
    FIRST_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    APPLIED_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    HIGH_WATER_FIELD_NUMBER: _ClassVar[int]
    first_sequence: int
    applied: int
    duplicates: int
    high_water: int
    def __init__(self, first_sequence: _Optional[int] = ..., applied: _Optional[int] = ..., duplicates: _Optional[int] = ..., high_water: _Optional[int] = ...) -> None: ...

class UplinkReply(_message.Message):
    __slots__ = ("welcome", "ack")
    WELCOME_FIELD_NUMBER: _ClassVar[int]
    ACK_FIELD_NUMBER: _ClassVar[int]
    welcome: Welcome
    ack: Ack
    def __init__(self, welcome: _Optional[_Union[Welcome, _Mapping]] = ..., ack: _Optional[_Union[Ack, _Mapping]] = ...) -> None: ...

class CaseLead(_message.Message):
    __slots__ = ("region", "lead_uuid", "listing_id", "listing_title", "seller", "score", "reasons", "listing_url", "reason_codes")
    REGION_FIELD_NUMBER: _ClassVar[int]
    LEAD_UUID_FIELD_NUMBER: _ClassVar[int]
    LISTING_ID_FIELD_NUMBER: _ClassVar[int]
    LISTING_TITLE_FIELD_NUMBER: _ClassVar[int]
    SELLER_FIELD_NUMBER: _ClassVar[int]
    SCORE_FIELD_NUMBER: _ClassVar[int]
    REASONS_FIELD_NUMBER: _ClassVar[int]
    LISTING_URL_FIELD_NUMBER: _ClassVar[int]
    REASON_CODES_FIELD_NUMBER: _ClassVar[int]
    region: str
    lead_uuid: str
    listing_id: str
    listing_title: str
    seller: Seller
    score: float
    reasons: _containers.RepeatedScalarFieldContainer[str]
    listing_url: str
    reason_codes: _containers.RepeatedCompositeFieldContainer[ReasonCode]
    def __init__(self, region: _Optional[str] = ..., lead_uuid: _Optional[str] = ..., listing_id: _Optional[str] = ..., listing_title: _Optional[str] = ..., seller: _Optional[_Union[Seller, _Mapping]] = ..., score: _Optional[float] = ..., reasons: _Optional[_Iterable[str]] = ..., listing_url: _Optional[str] = ..., reason_codes: _Optional[_Iterable[_Union[ReasonCode, _Mapping]]] = ...) -> None: ...

class CrossRegionCase(_message.Message):
    __slots__ = ("case_uuid", "right", "right_title", "type", "lead_region", "regions", "leads", "formed_at", "seller_key", "prior_case_uuid", "supervised")
    CASE_UUID_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    RIGHT_TITLE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    LEAD_REGION_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    LEADS_FIELD_NUMBER: _ClassVar[int]
    FORMED_AT_FIELD_NUMBER: _ClassVar[int]
    SELLER_KEY_FIELD_NUMBER: _ClassVar[int]
    PRIOR_CASE_UUID_FIELD_NUMBER: _ClassVar[int]
    SUPERVISED_FIELD_NUMBER: _ClassVar[int]
    case_uuid: str
    right: str
    right_title: str
    type: str
    lead_region: str
    regions: _containers.RepeatedScalarFieldContainer[str]
    leads: _containers.RepeatedCompositeFieldContainer[CaseLead]
    formed_at: str
    seller_key: str
    prior_case_uuid: str
    supervised: bool
    def __init__(self, case_uuid: _Optional[str] = ..., right: _Optional[str] = ..., right_title: _Optional[str] = ..., type: _Optional[str] = ..., lead_region: _Optional[str] = ..., regions: _Optional[_Iterable[str]] = ..., leads: _Optional[_Iterable[_Union[CaseLead, _Mapping]]] = ..., formed_at: _Optional[str] = ..., seller_key: _Optional[str] = ..., prior_case_uuid: _Optional[str] = ..., supervised: _Optional[bool] = ...) -> None: ...

class CaseUpdate(_message.Message):
    __slots__ = ("case_uuid", "status", "note", "body_json")
    CASE_UUID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    BODY_JSON_FIELD_NUMBER: _ClassVar[int]
    case_uuid: str
    status: str
    note: str
    body_json: str
    def __init__(self, case_uuid: _Optional[str] = ..., status: _Optional[str] = ..., note: _Optional[str] = ..., body_json: _Optional[str] = ...) -> None: ...

class BlacklistEntry(_message.Message):
    __slots__ = ("entity_id", "name", "uscc", "phone", "reason", "removed")
    ENTITY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    USCC_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    entity_id: str
    name: str
    uscc: str
    phone: str
    reason: str
    removed: bool
    def __init__(self, entity_id: _Optional[str] = ..., name: _Optional[str] = ..., uscc: _Optional[str] = ..., phone: _Optional[str] = ..., reason: _Optional[str] = ..., removed: _Optional[bool] = ...) -> None: ...

class RegistryUpdate(_message.Message):
    __slots__ = ("record_json",)
    RECORD_JSON_FIELD_NUMBER: _ClassVar[int]
    record_json: str
    def __init__(self, record_json: _Optional[str] = ...) -> None: ...

class EmarkStatus(_message.Message):
    __slots__ = ("mark_id", "region", "status", "right", "product", "reason", "at")
    MARK_ID_FIELD_NUMBER: _ClassVar[int]
    REGION_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    mark_id: str
    region: str
    status: str
    right: str
    product: str
    reason: str
    at: str
    def __init__(self, mark_id: _Optional[str] = ..., region: _Optional[str] = ..., status: _Optional[str] = ..., right: _Optional[str] = ..., product: _Optional[str] = ..., reason: _Optional[str] = ..., at: _Optional[str] = ...) -> None: ...

class ModelVersion(_message.Message):
    __slots__ = ("model", "version", "artifact", "metrics_json")
    MODEL_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ARTIFACT_FIELD_NUMBER: _ClassVar[int]
    METRICS_JSON_FIELD_NUMBER: _ClassVar[int]
    model: str
    version: str
    artifact: bytes
    metrics_json: str
    def __init__(self, model: _Optional[str] = ..., version: _Optional[str] = ..., artifact: _Optional[bytes] = ..., metrics_json: _Optional[str] = ...) -> None: ...

class DownlinkItem(_message.Message):
    __slots__ = ("cursor", "uuid", "revision", "snapshot", "cross_region_case", "case_update", "blacklist_entry", "registry_update", "model_version", "emark_status", "exhibitor_flag")
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    UUID_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    SNAPSHOT_FIELD_NUMBER: _ClassVar[int]
    CROSS_REGION_CASE_FIELD_NUMBER: _ClassVar[int]
    CASE_UPDATE_FIELD_NUMBER: _ClassVar[int]
    BLACKLIST_ENTRY_FIELD_NUMBER: _ClassVar[int]
    REGISTRY_UPDATE_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    EMARK_STATUS_FIELD_NUMBER: _ClassVar[int]
    EXHIBITOR_FLAG_FIELD_NUMBER: _ClassVar[int]
    cursor: int
    uuid: str
    revision: int
    snapshot: bool
    cross_region_case: CrossRegionCase
    case_update: CaseUpdate
    blacklist_entry: BlacklistEntry
    registry_update: RegistryUpdate
    model_version: ModelVersion
    emark_status: EmarkStatus
    exhibitor_flag: ExhibitorInfringement
    def __init__(self, cursor: _Optional[int] = ..., uuid: _Optional[str] = ..., revision: _Optional[int] = ..., snapshot: _Optional[bool] = ..., cross_region_case: _Optional[_Union[CrossRegionCase, _Mapping]] = ..., case_update: _Optional[_Union[CaseUpdate, _Mapping]] = ..., blacklist_entry: _Optional[_Union[BlacklistEntry, _Mapping]] = ..., registry_update: _Optional[_Union[RegistryUpdate, _Mapping]] = ..., model_version: _Optional[_Union[ModelVersion, _Mapping]] = ..., emark_status: _Optional[_Union[EmarkStatus, _Mapping]] = ..., exhibitor_flag: _Optional[_Union[ExhibitorInfringement, _Mapping]] = ...) -> None: ...

class PullRequest(_message.Message):
    __slots__ = ("after_cursor", "max_items")
    AFTER_CURSOR_FIELD_NUMBER: _ClassVar[int]
    MAX_ITEMS_FIELD_NUMBER: _ClassVar[int]
    after_cursor: int
    max_items: int
    def __init__(self, after_cursor: _Optional[int] = ..., max_items: _Optional[int] = ...) -> None: ...

class RangeDigest(_message.Message):
    __slots__ = ("first", "last", "count", "digest", "kinds")
    class KindsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    FIRST_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    DIGEST_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    first: int
    last: int
    count: int
    digest: bytes
    kinds: _containers.ScalarMap[str, int]
    def __init__(self, first: _Optional[int] = ..., last: _Optional[int] = ..., count: _Optional[int] = ..., digest: _Optional[bytes] = ..., kinds: _Optional[_Mapping[str, int]] = ...) -> None: ...

class ReconcileRequest(_message.Message):
    __slots__ = ("epoch", "ranges")
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    RANGES_FIELD_NUMBER: _ClassVar[int]
    epoch: int
    ranges: _containers.RepeatedCompositeFieldContainer[RangeDigest]
    def __init__(self, epoch: _Optional[int] = ..., ranges: _Optional[_Iterable[_Union[RangeDigest, _Mapping]]] = ...) -> None: ...

class ReconcileReply(_message.Message):
    __slots__ = ("ranges",)
    RANGES_FIELD_NUMBER: _ClassVar[int]
    ranges: _containers.RepeatedCompositeFieldContainer[RangeDigest]
    def __init__(self, ranges: _Optional[_Iterable[_Union[RangeDigest, _Mapping]]] = ...) -> None: ...

class RestoreRequest(_message.Message):
    __slots__ = ("epoch", "operator", "reason", "outbox_head", "acked")
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    OUTBOX_HEAD_FIELD_NUMBER: _ClassVar[int]
    ACKED_FIELD_NUMBER: _ClassVar[int]
    epoch: int
    operator: str
    reason: str
    outbox_head: int
    acked: int
    def __init__(self, epoch: _Optional[int] = ..., operator: _Optional[str] = ..., reason: _Optional[str] = ..., outbox_head: _Optional[int] = ..., acked: _Optional[int] = ...) -> None: ...

class RestoreReply(_message.Message):
    __slots__ = ("epoch", "previous_high_water", "grant")
    EPOCH_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_HIGH_WATER_FIELD_NUMBER: _ClassVar[int]
    GRANT_FIELD_NUMBER: _ClassVar[int]
    epoch: int
    previous_high_water: int
    grant: bytes
    def __init__(self, epoch: _Optional[int] = ..., previous_high_water: _Optional[int] = ..., grant: _Optional[bytes] = ...) -> None: ...

class CheckpointRequest(_message.Message):
    __slots__ = ("from_size",)
    FROM_SIZE_FIELD_NUMBER: _ClassVar[int]
    from_size: int
    def __init__(self, from_size: _Optional[int] = ...) -> None: ...

class CheckpointReply(_message.Message):
    __slots__ = ("checkpoint", "consistency", "trust")
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    CONSISTENCY_FIELD_NUMBER: _ClassVar[int]
    TRUST_FIELD_NUMBER: _ClassVar[int]
    checkpoint: str
    consistency: _containers.RepeatedScalarFieldContainer[bytes]
    trust: str
    def __init__(self, checkpoint: _Optional[str] = ..., consistency: _Optional[_Iterable[bytes]] = ..., trust: _Optional[str] = ...) -> None: ...

class CosignRequest(_message.Message):
    __slots__ = ("checkpoint", "cosignature", "alarm", "from_size")
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    COSIGNATURE_FIELD_NUMBER: _ClassVar[int]
    ALARM_FIELD_NUMBER: _ClassVar[int]
    FROM_SIZE_FIELD_NUMBER: _ClassVar[int]
    checkpoint: str
    cosignature: str
    alarm: str
    from_size: int
    def __init__(self, checkpoint: _Optional[str] = ..., cosignature: _Optional[str] = ..., alarm: _Optional[str] = ..., from_size: _Optional[int] = ...) -> None: ...

class CosignReply(_message.Message):
    __slots__ = ("accepted", "message")
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    accepted: bool
    message: str
    def __init__(self, accepted: _Optional[bool] = ..., message: _Optional[str] = ...) -> None: ...

class ProofRequest(_message.Message):
    __slots__ = ("checkpoint_size", "region_indexes")
    CHECKPOINT_SIZE_FIELD_NUMBER: _ClassVar[int]
    REGION_INDEXES_FIELD_NUMBER: _ClassVar[int]
    checkpoint_size: int
    region_indexes: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, checkpoint_size: _Optional[int] = ..., region_indexes: _Optional[_Iterable[int]] = ...) -> None: ...

class ManifestProof(_message.Message):
    __slots__ = ("region_index", "manifest_sha256", "status", "reason", "leaf_index", "path", "revision")
    REGION_INDEX_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_SHA256_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    PATH_FIELD_NUMBER: _ClassVar[int]
    REVISION_FIELD_NUMBER: _ClassVar[int]
    region_index: int
    manifest_sha256: str
    status: str
    reason: str
    leaf_index: int
    path: _containers.RepeatedScalarFieldContainer[bytes]
    revision: int
    def __init__(self, region_index: _Optional[int] = ..., manifest_sha256: _Optional[str] = ..., status: _Optional[str] = ..., reason: _Optional[str] = ..., leaf_index: _Optional[int] = ..., path: _Optional[_Iterable[bytes]] = ..., revision: _Optional[int] = ...) -> None: ...

class ProofReply(_message.Message):
    __slots__ = ("checkpoint", "proofs")
    CHECKPOINT_FIELD_NUMBER: _ClassVar[int]
    PROOFS_FIELD_NUMBER: _ClassVar[int]
    checkpoint: str
    proofs: _containers.RepeatedCompositeFieldContainer[ManifestProof]
    def __init__(self, checkpoint: _Optional[str] = ..., proofs: _Optional[_Iterable[_Union[ManifestProof, _Mapping]]] = ...) -> None: ...

class EvidenceChunk(_message.Message):
    __slots__ = ("sha256", "size", "data", "last")
    SHA256_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    LAST_FIELD_NUMBER: _ClassVar[int]
    sha256: str
    size: int
    data: bytes
    last: bool
    def __init__(self, sha256: _Optional[str] = ..., size: _Optional[int] = ..., data: _Optional[bytes] = ..., last: _Optional[bool] = ...) -> None: ...

class RegionLogRequest(_message.Message):
    __slots__ = ("from_index", "max_entries")
    FROM_INDEX_FIELD_NUMBER: _ClassVar[int]
    MAX_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    from_index: int
    max_entries: int
    def __init__(self, from_index: _Optional[int] = ..., max_entries: _Optional[int] = ...) -> None: ...

class RegionLogEntry(_message.Message):
    __slots__ = ("region_index", "manifest", "signature", "region_head", "leaf_index")
    REGION_INDEX_FIELD_NUMBER: _ClassVar[int]
    MANIFEST_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    REGION_HEAD_FIELD_NUMBER: _ClassVar[int]
    LEAF_INDEX_FIELD_NUMBER: _ClassVar[int]
    region_index: int
    manifest: bytes
    signature: bytes
    region_head: str
    leaf_index: int
    def __init__(self, region_index: _Optional[int] = ..., manifest: _Optional[bytes] = ..., signature: _Optional[bytes] = ..., region_head: _Optional[str] = ..., leaf_index: _Optional[int] = ...) -> None: ...

class RegionLogReply(_message.Message):
    __slots__ = ("region_size", "entries")
    REGION_SIZE_FIELD_NUMBER: _ClassVar[int]
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    region_size: int
    entries: _containers.RepeatedCompositeFieldContainer[RegionLogEntry]
    def __init__(self, region_size: _Optional[int] = ..., entries: _Optional[_Iterable[_Union[RegionLogEntry, _Mapping]]] = ...) -> None: ...

class RegionLeadsRequest(_message.Message):
    __slots__ = ("after", "max_entries")
    AFTER_FIELD_NUMBER: _ClassVar[int]
    MAX_ENTRIES_FIELD_NUMBER: _ClassVar[int]
    after: int
    max_entries: int
    def __init__(self, after: _Optional[int] = ..., max_entries: _Optional[int] = ...) -> None: ...

class FiledLead(_message.Message):
    __slots__ = ("uuid", "listing_id", "right", "type", "listing_title", "detected_at")
    UUID_FIELD_NUMBER: _ClassVar[int]
    LISTING_ID_FIELD_NUMBER: _ClassVar[int]
    RIGHT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    LISTING_TITLE_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AT_FIELD_NUMBER: _ClassVar[int]
    uuid: str
    listing_id: str
    right: str
    type: str
    listing_title: str
    detected_at: str
    def __init__(self, uuid: _Optional[str] = ..., listing_id: _Optional[str] = ..., right: _Optional[str] = ..., type: _Optional[str] = ..., listing_title: _Optional[str] = ..., detected_at: _Optional[str] = ...) -> None: ...

class RegionLeadsReply(_message.Message):
    __slots__ = ("total", "leads", "next")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    LEADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_FIELD_NUMBER: _ClassVar[int]
    total: int
    leads: _containers.RepeatedCompositeFieldContainer[FiledLead]
    next: int
    def __init__(self, total: _Optional[int] = ..., leads: _Optional[_Iterable[_Union[FiledLead, _Mapping]]] = ..., next: _Optional[int] = ...) -> None: ...

class EvidenceObjectsReply(_message.Message):
    __slots__ = ("stored", "already_held")
    STORED_FIELD_NUMBER: _ClassVar[int]
    ALREADY_HELD_FIELD_NUMBER: _ClassVar[int]
    stored: int
    already_held: int
    def __init__(self, stored: _Optional[int] = ..., already_held: _Optional[int] = ...) -> None: ...
