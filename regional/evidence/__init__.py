"""Evidence preservation on a regional node (issue 10, docs/evidence.md).

* `intake`  — at import: the listing record as received and every file it carries or names
  (bundle paths, inline base64), stored content-addressed;
* `capture` — at lead creation and on demand (重新取证): the signed manifest, appended to the
  region's evidence log in the lead's own transaction and filed with the national node;
* `witness` — the region as a witness of the national log: consistency checks, co-signatures,
  inclusion proofs of its manifests, uploads of its items;
* `export`  — the court-ready package of a lead.
"""
