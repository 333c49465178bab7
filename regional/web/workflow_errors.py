"""The officers' workflow errors in the reader's language: each stable error code has a catalogue message."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from regional.web.labels import label

MESSAGES: dict[str, Any] = {
    # judging leads
    "bad_decision": _l("Choose a decision: confirm, exclude or need more information."),
    "bad_reason": _l("Choose an exclusion reason from the list."),
    "reason_required": _l("An exclusion needs a reason from the list (or 'other' with the reason in words)."),
    "reason_text_required": _l("For 'other', write the reason."),
    "reason_too_long": _l("The reason is too long: at most %(max)s characters, it has %(n)s."),
    "reason_bad_characters": _l("The reason holds characters that are not allowed."),
    "body_bad_characters": _l("The request holds characters that are not allowed (an unpaired \\u surrogate escape)."),
    "awaiting_second_review": _l("This lead's decision awaits a supervisor's second review."),
    "already_judged": _l("This lead is already %(state)s; only a supervisor can change a final decision."),
    "case_open": _l("A case is open on this lead; close the case before changing the decision."),
    "unchanged": _l("The lead already has this decision."),
    "not_allowed": _l("This step is not allowed from the current state."),
    "no_second_review": _l("Nothing awaits a second review on this lead."),
    "supervisor_only": _l("Only a supervisor may carry out a second review."),
    "same_person": _l("The second review must be done by someone other than the officer who decided."),
    "note_required": _l("Say why, so the officer can judge again."),
    "note_too_long": _l("The note (remarks) is too long: at most %(max)s characters, it has %(n)s."),
    "assigned_to_other": _l("This lead is assigned to %(user)s; only they or a supervisor may judge it."),
    "empty_batch": _l("Tick at least one lead."),
    "batch_too_large": _l("Too many leads at once (at most 500)."),
    "bad_assignee": _l("The user name is not valid."),
    "unknown_assignee": _l("No active officer or supervisor of this node has that user name."),
    "bad_body": _l("The request is not valid."),
    "unknown_lead": _l("No such lead on this node."),
    "forbidden": _l("You are not allowed to do this."),
    # routing
    "not_confirmed": _l("Only a confirmed lead is pushed or put in a case."),
    "unknown_agency": _l("Choose an active body of the directory."),
    "same_agency": _l("The lead is already with that body."),
    # cases
    "closed": _l("This case is closed; no further step is possible."),
    "bad_step": _l("Choose a step."),
    "bad_finding": _l("Choose the finding: infringement confirmed or no infringement."),
    "finding_required": _l("Moving to handling needs the finding of the investigation."),
    "result_required": _l("Closing a case needs a result."),
    "finding_required_to_close": _l("This case has no finding yet: choose the finding (infringement confirmed or no "
                                    "infringement) with the closing step, or report the handling step first."),
    "step_not_next": _l("This region has already reported that step or a later one on this case; the form offers "
                        "the steps that can come next."),
    "result_contradicts_finding": _l("This result contradicts the case's finding (infringement confirmed or not): "
                                     "choose a result that agrees with it."),
    "bad_result": _l("Choose a result from the list."),
    "result_only_when_closing": _l("A result is recorded only when the case is closed."),
    "no_leads": _l("A case is opened on at least one confirmed lead."),
    "too_many_leads": _l("Too many leads for one case."),
    "bad_officer": _l("The officer in charge is not valid."),
    "already_in_case": _l("A lead is already in another case."),
    "unknown_case": _l("No such case on this node."),
}
# Codes shared by several areas whose words differ by area.
CASE_REASON = _l("Closing a case needs the reason.")
ROUTE_REASON = _l("A re-route needs the reason.")


def code_message(code: str, **params: object) -> str:
    """The message of an error code (a generic one for codes without their own)."""
    found = MESSAGES.get(code)
    if found is None:
        return gettext("The request could not be carried out.")
    try:
        return str(found) % params if params else re.sub(r"\s*%\(\w+\)s", "", str(found))
    except (KeyError, ValueError):
        return re.sub(r"\s*%\(\w+\)s", "", str(found))


def message(exc: Exception) -> str:
    """The translated message of a workflow, routing or case error."""
    from regional.actors import Forbidden
    from regional.casework.core import CaseError
    from regional.routing.service import RoutingError

    if isinstance(exc, Forbidden):
        return code_message("forbidden")
    code = getattr(exc, "code", "")
    if code == "reason_required" and isinstance(exc, CaseError):
        return str(CASE_REASON)
    if code == "reason_required" and isinstance(exc, RoutingError):
        return str(ROUTE_REASON)
    params = dict(getattr(exc, "params", {}) or {})
    if "state" in params:
        params["state"] = label("lead_state", params["state"])
    return code_message(code, **params)


def outcome_message(out: Any) -> str:
    """What a judgement did, in words."""
    if out.second_review and not out.final and out.state.value == "pending_review":
        return gettext("Recorded; the decision waits for a supervisor's second review.")
    if out.notice:
        return gettext("Judged: %(state)s. Pushed with notice %(notice)s.", state=label("lead_state", out.state),
                       notice=out.notice)
    if getattr(out, "withdrawn_notice", None):
        return gettext("Judged: %(state)s. Notice %(notice)s is withdrawn; the receiving body sees why.",
                       state=label("lead_state", out.state), notice=out.withdrawn_notice)
    return gettext("Judged: %(state)s.", state=label("lead_state", out.state))


def second_review_message(out: Any, approved: bool) -> str:
    """What a supervisor's second review did (newcomer14 F23: a refusal read 已判断：待研判。)."""
    if not approved:
        return gettext("Sent back: the decision is not approved; the lead waits for the officer to judge it again.")
    if out.notice:
        return gettext("Second review approved: %(state)s. Pushed with notice %(notice)s.",
                       state=label("lead_state", out.state), notice=out.notice)
    return gettext("Second review approved: %(state)s.", state=label("lead_state", out.state))


# the label kinds of the queue's parameter values (regional/web/blueprints/review.py registers them)
FILTER_VALUES = {"state": "lead_state", "type": "lead_type", "source": "source", "sort": "sort"}


def filter_message(exc: Any) -> str:
    """A bad query parameter of the queue, named as in the address and by its label, with the values it takes
    (newcomer14 F30); a cursor that does not fit the list, by the parameter alone."""
    if getattr(exc, "problem", None):
        from regional.web import queryargs

        return queryargs.message(exc, label_kind="filter", kinds=FILTER_VALUES)
    return gettext("The filter %(param)s is not valid.", param=label("filter", exc.param))
