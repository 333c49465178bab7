"""det22's check scored: figures per style, and every lead (listing, right, score) hashed, to compare trees."""
import hashlib
import os
import pathlib
import subprocess

from regional.bench import realworld
from regional.detection.engine import Engine
from regional.domain import LeadType

print("head", subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip(),
      "load", os.getloadavg())
rights, cases = realworld.load(str(pathlib.Path(__file__).with_name("trademark_det22check.jsonl")))
listings = realworld.listings_of(cases)
findings = [f for f in Engine(rights, []).run(listings).findings if f.type == LeadType.TRADEMARK]
found = {(f.listing_id, f.right) for f in findings}
for style, stats in realworld.score_cases(cases, listings, found).items():
    print(" ", style, {k: v for k, v in stats.items() if k != "misses"})
h = hashlib.sha256()
for f in sorted(findings, key=lambda f: (f.listing_id, f.right)):
    h.update(repr((f.listing_id, f.right, round(f.score, 12), f.reasons, f.codes, f.params)).encode())
print("leads", len(findings), h.hexdigest()[:16])
