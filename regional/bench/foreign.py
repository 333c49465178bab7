"""Foreign-language listings (issue 14): recall and precision on a hand-built set, per language, with the peer.

`regional/data/eval/foreign_listings.jsonl` is written by hand, not produced by the code under test or
by the project's generator: 30 real marks — Chinese marks with the Latin or Chinese counterpart the
registry links them to (华为 ↔ HUAWEI, 老干妈 ↔ LAOGANMA / LAO GAN MA, 大白兔 ↔ WHITE RABBIT, 康师傅 ↔
MASTER KONG, 回力 ↔ WARRIOR) and Latin marks linked to their Chinese names (NIKE ↔ 耐克, SONY ↔ 索尼)
— and 95 listings in English and Spanish as cross-border platforms show them: the counterpart used as
is, misspelled (Huawie, HUAVVEI, Lenova, Nikee, Adiddas), with the Chinese mark inside an English title;
and hard negatives: generic goods, English or Spanish words near a counterpart (Super / SUPOR,
white rabbit plush toy, master key, green tea face mask, Conejo blanco de peluche), the holders' own
listings. No listing declares its goods classes: they are inferred from the English or Spanish title
and description (`classes` in each case is the expected class, for the mapping figure).

Reported: recall, precision, false-positive rate, alerts per listing — overall, per language, per
style — for Hufu, for Hufu without the registry's counterparts (what linking buys), and for the
hash-keyed peer given the same counterparts as marks; and how often the inferred Nice class is the
expected one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from typing import Any

from regional.domain import LeadType, Listing, Right, RightKind, Seller

FIXTURE = "data/eval/foreign_listings.jsonl"
# a second set, written by hand by another engineer before the detector was run on it (fl3, 2026-11-30): 25 marks,
# 119 listings (English 86, Spanish 33) — look-alikes with swapped, doubled, dropped letters and homoglyphs
# (HUAWEl, XIA0MI, NlKE, Mideа with a Cyrillic а), the look-alike in the middle of long marketplace titles,
# Chinese look-alikes in English titles, the exact mark next to counterfeit wording (replica, 1:1, AAA quality,
# réplica, imitación); negatives: resale, compatibility (case for HUAWEI P60), generic goods, ordinary words
# near a mark (Apple cider vinegar, Media player, Hair clipper, 4 channel RC car), the holders' own shops
SECOND = "data/eval/foreign_listings2.jsonl"
_SHOP = "Global Trading Store"


def load(fixture: str = FIXTURE) -> tuple[list[Right], list[dict[str, Any]]]:
    """The fixture's marks (as rights, with their counterparts) and its cases."""
    rights: list[Right] = []
    cases: list[dict[str, Any]] = []
    for line in resources.files("regional").joinpath(fixture).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["record"] == "mark":
            rights.append(Right(RightKind.TRADEMARK, record["reg_no"], record["mark"], record["owner"], "registered",
                                tuple(record["nice_classes"]), well_known=bool(record.get("well_known")),
                                counterparts=tuple(record.get("counterparts") or ())))
        else:
            cases.append(record)
    return rights, cases


def listings_of(cases: Sequence[dict[str, Any]]) -> list[Listing]:
    """One listing per case, with no declared goods class (detection infers it from the text)."""
    return [Listing(id=f"fl-{k}", title=c["title"], description=c.get("description"),
                    seller=Seller(name=c.get("seller") or _SHOP)) for k, c in enumerate(cases)]


def _pairs(findings: Sequence[Any]) -> set[tuple[str, str]]:
    return {(f.listing_id, f.right) for f in findings if getattr(f, "type", LeadType.TRADEMARK) == LeadType.TRADEMARK}


def _score(cases: Sequence[dict[str, Any]], listings: Sequence[Listing], found: set[tuple[str, str]]
           ) -> dict[str, Any]:
    from regional.bench.realworld import score_cases

    out: dict[str, Any] = {"all": score_cases(cases, listings, found)["all"]}
    for lang in sorted({c["lang"] for c in cases}):
        keep = [i for i, c in enumerate(cases) if c["lang"] == lang]
        ids = {listings[i].id for i in keep}
        out[lang] = score_cases([cases[i] for i in keep], [listings[i] for i in keep],
                                {p for p in found if p[0] in ids})["all"]
    out["styles"] = {k: v for k, v in score_cases(cases, listings, found).items() if k != "all"}
    return out


def nice_mapping(cases: Sequence[dict[str, Any]], listings: Sequence[Listing]) -> dict[str, float]:
    """How often the goods class the trademark model infers for a listing is the expected one (first, or any)."""
    from regional.detection import normalize as nz
    from regional.detection.trademark import _Prepared  # the detector's own inference

    first = anyhit = total = 0
    for case, listing in zip(cases, listings, strict=True):
        want = case.get("classes") or []
        if not want:
            continue
        total += 1
        normalised = nz.normalize_batch([listing.title])[0]
        got = _Prepared(listing, normalised.replace(" ", ""), normalised, "", "", "", "", []).classes
        first += int(bool(got) and got[0] == want[0])
        anyhit += int(want[0] in got)
    return {"cases": total, "first": round(first / max(1, total), 4), "any": round(anyhit / max(1, total), 4)}


def evaluate(fixture: str = FIXTURE) -> dict[str, Any]:
    """Hufu, Hufu without counterparts, and the peer (with the counterparts as marks) on the set."""
    from dataclasses import replace

    from regional.bench.peers import HashPeer
    from regional.detection import counterparts
    from regional.detection.engine import Engine

    rights, cases = load(fixture)
    listings = listings_of(cases)
    hufu = _score(cases, listings, _pairs(Engine(rights, []).run(listings).findings))
    bare = [replace(r, counterparts=()) for r in rights]
    without = _score(cases, listings, _pairs(Engine(bare, []).run(listings).findings))
    peer = _score(cases, listings, set(HashPeer(counterparts.expand(rights), []).detect(listings)))
    return {"hufu": hufu, "without_counterparts": without, "peer": peer, "nice": nice_mapping(cases, listings),
            "cases": len(cases), "marks": len(rights)}


def lines(result: dict[str, Any], name: str = "foreign-language set") -> list[str]:
    """The report's table."""
    out = [f"{name} ({result['cases']} listings, {result['marks']} marks; hand-built)"
           f"{'recall':>10}{'precision':>11}{'FPR':>7}{'alerts/listing':>16}"]
    for name, key in (("Hufu", "hufu"), ("Hufu without counterparts", "without_counterparts"),
                      ("(a) hash-keyed peer", "peer")):
        for scope in ["all", *sorted(k for k in result[key] if k not in ("all", "styles"))]:
            m = result[key][scope]
            out.append(f"  {name + ' ' + scope:<66}{m['recall']:>10.4f}{m['precision']:>11.4f}{m['fpr']:>7.4f}"
                       f"{m['alerts_per_listing']:>16.4f}")
    out.append("Hufu per style: " + ", ".join(
        f"{style} {s['hits']}/{s['cases']}" if "recall" in s else f"{style} {s['false_leads']} false"
        for style, s in result["hufu"]["styles"].items()))
    out.append(f"Hufu misses: {result['hufu']['all']['misses']}")
    nice = result["nice"]
    out.append(f"Nice class inferred from English/Spanish text: first class right {nice['first']:.4f}, "
               f"expected class among those inferred {nice['any']:.4f} ({nice['cases']} listings)")
    return out


if __name__ == "__main__":
    print("\n".join(lines(evaluate())))
    print()
    print("\n".join(lines(evaluate(SECOND), "second foreign-language set")))
