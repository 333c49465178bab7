#!/usr/bin/env python3
"""`make deploy-test`: deploy a federation with the Ansible kit onto throwaway hosts, for real.

Builds test hosts on this machine (tests/testlab.py: network namespaces, each with its own sshd
and file system view), then, over SSH, exactly as an ops team would:

 1. site.yml installs the previous release (see PREVIOUS_RELEASE) on a national host, two
    regional hosts and a backup store; a second site.yml run must report changed=0 everywhere;
 2. the federation works: a listing imported in one region becomes a lead at national within
    60 s, a cross-region case reaches both regions;
 3. upgrade.yml to this checkout stops at the first failing node (a region cut off from the
    national node), then, once the fault is gone, completes and keeps every record (with
    --rerun-after-upgrade, site.yml then must change nothing on the new release either);
 4. backup.yml, deliberate data loss (the national database dropped; a region's database, data
    dir and local backups deleted), restore.yml (the region from the off-host copy) restores every
    record, and the federation syncs again;
 5. a third regional host is built (its own namespace, root and sshd) and add-region.yml adds it in
    one command: its listing becomes a lead at national within 60 s, a cross-region case with it
    reaches every region concerned, Prometheus scrapes it; then revoke-region.yml locks a region
    out: a direct gRPC call with its certificate and its node's sync are refused (PERMISSION_DENIED,
    revoked), the national node notes the refusal, nothing it sends lands, the others keep syncing;
 6. everything is torn down (also on failure or Ctrl-C).

Release bundles of a commit are built once per machine (HUFU_DEPLOY_TEST_CACHE, default
/var/cache/hufu-deploy-test); the logs hold each task's time (the profile_tasks callback).

Each playbook's recap is printed; full logs are in test-artifacts/deploy/<run>/.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from testlab import Lab, LabError, requirements_missing  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ANSIBLE = REPO / "ansible"
EXAMPLE = ANSIBLE / "inventories" / "example"
VENV_BIN = Path(sys.executable).parent

# The "previous release" upgrade.yml starts from: a fixed commit of main, built into a bundle
# with `ansible/build-bundle.py --ref` (git archive of that commit), so any clean clone gets the
# same bytes. It is the first commit with the commands the kit relies on (`hufu … migrate`).
PREVIOUS_RELEASE = os.environ.get("HUFU_PREVIOUS_RELEASE", "aa0ccc6")

NATIONAL = "national-1"
REGIONS = {"region-440000": "440000", "region-330000": "330000"}
NEW_REGION = ("region-350000", "350000")
STORE = "backup-1"
LEAD_DEADLINE_S = 60.0
# Tables whose rows are recomputed (replaced) by the workers, or are queues the workers drain: not expected
# to keep their keys. lead_count_deltas holds the +1/-1 rows the triggers on `leads` append until the worker
# folds them into lead_counts (whose keys are checked) and deletes them: a restored database's pending deltas
# are folded minutes later, so their ids are gone by design.
VOLATILE = {"risk_lists", "lead_tallies", "lead_count_deltas"}

# Run on a region's host by the release's Python as the service user: one Pull call to the national
# node over mutual TLS with the region's own certificate and key, bypassing the node's sync agent.
RAW_CALL = """
import sys
from pathlib import Path
import grpc
from regional.config import RegionalConfig
from regional.node import channel
from sync.v1 import sync_pb2, sync_pb2_grpc

config = RegionalConfig.load(Path("@DATA@"))
try:
    items = list(sync_pb2_grpc.FederationSyncStub(channel(config)).Pull(
        sync_pb2.PullRequest(after_cursor=0, max_items=1), timeout=20))
except grpc.RpcError as exc:
    refused = {grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.UNAVAILABLE}
    print(("REFUSED " if exc.code() in refused else "ERROR ") + exc.code().name + ": " + str(exc.details()))
    sys.exit(0 if exc.code() in refused else 1)
print(f"ACCEPTED: {len(items)} downlink item(s)")
sys.exit(1)
"""


def say(message: str) -> None:
    """Progress on stderr."""
    print(f"[deploy-test {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class DeployTestFailed(AssertionError):
    """A check of the deploy test failed; the message says which and why."""


@dataclass
class Recap:
    """The PLAY RECAP of one ansible-playbook run."""

    playbook: str
    rc: int
    hosts: dict[str, dict[str, int]]
    text: str
    seconds: float
    log: Path


class DeployTest:
    """One run of the scenario."""

    def __init__(self, work: Path, keep: bool, current_bundle: Path | None = None,
                 rerun_after_upgrade: bool = False) -> None:
        self.work = work
        self.keep = keep
        self.rerun_after_upgrade = rerun_after_upgrade
        self.current_bundle = current_bundle
        self.lab = Lab(work / "lab")
        self.inventory = work / "inventory"
        self.bundles = Path(os.environ.get("HUFU_DEPLOY_TEST_CACHE", "/var/cache/hufu-deploy-test"))
        self.samples = work / "samples"
        self.recaps: list[Recap] = []
        self.runs = 0
        self.started = time.monotonic()

    # ------------------------------------------------------------------ set-up

    def build_bundles(self) -> tuple[Path, Path]:
        """The previous release (fixed commit) and this checkout, as offline bundles.

        A bundle of a commit is built once per machine and kept in the bundle cache (keyed by the
        commit; HUFU_DEPLOY_TEST_CACHE, default /var/cache/hufu-deploy-test): the previous release
        always, this checkout when it has no uncommitted changes (otherwise it is built afresh)."""
        self.bundles.mkdir(parents=True, exist_ok=True)
        prev = self._cached_bundle(PREVIOUS_RELEASE, "the previous release")
        if self.current_bundle is not None:
            say(f"this checkout's release bundle: {self.current_bundle} (given)")
            return prev, self.current_bundle.resolve()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                               capture_output=True, text=True).stdout.strip()
        if dirty:
            say("building this checkout's release bundle (it has uncommitted changes: not cached)")
            return prev, self._build_bundle(["--worktree"], out=self.work / "bundle-current")
        return prev, self._cached_bundle("HEAD", "this checkout")

    def _cached_bundle(self, ref: str, what: str) -> Path:
        commit = subprocess.run(["git", "rev-parse", "--verify", f"{ref}^{{commit}}"], cwd=REPO,
                                capture_output=True, text=True)
        if commit.returncode != 0:
            raise DeployTestFailed(f"{what} ({ref}) is not in this clone's history "
                                   "(a shallow clone? fetch it with `git fetch --unshallow`)")
        found = sorted(self.bundles.glob(f"hufu-*-{commit.stdout.strip()[:10]}.tar"))
        if found:
            say(f"{what}: bundle {found[-1]} (built before for commit {commit.stdout.strip()[:10]})")
            return found[-1]
        say(f"building the release bundle of {what} from {commit.stdout.strip()[:10]} (git archive)")
        started = time.monotonic()
        bundle = self._build_bundle(["--ref", commit.stdout.strip()])
        say(f"built {bundle.name} in {time.monotonic() - started:.0f} s")
        return bundle

    def _build_bundle(self, source: list[str], out: Path | None = None) -> Path:
        out = out or self.bundles
        log = self.work / f"build-bundle-{len(list(self.work.glob('build-bundle-*')))}.log"
        with log.open("w") as fh:
            result = subprocess.run([sys.executable, str(ANSIBLE / "build-bundle.py"), *source, "--out", str(out)],
                                    stdout=subprocess.PIPE, stderr=fh, text=True, cwd=REPO)
        if result.returncode != 0:
            raise DeployTestFailed(f"building the release bundle failed; see {log}:\n{log.read_text()[-3000:]}")
        return Path(result.stdout.strip().splitlines()[-1])

    def build_lab(self) -> None:
        """The hosts: national, two regions and the backup store (the third region's host comes in step 5)."""
        self.lab.create()
        for name in (NATIONAL, *REGIONS, STORE):
            self.lab.add_host(name)
        say("test hosts up: " + ", ".join(f"{h.name}={h.address}" for h in self.lab.hosts.values())
            + f"; control node {self.lab.control_address} (namespace {self.lab.switch})")

    def write_inventory(self, bundle: Path, with_new_region: bool = False) -> None:
        """The example inventory's group_vars and vault, this lab's hosts, and the test's settings."""
        import shutil

        if not self.inventory.exists():
            shutil.copytree(EXAMPLE / "group_vars", self.inventory / "group_vars")
            shutil.copy(EXAMPLE / "vault-password.txt", self.inventory / "vault-password.txt")
        h = self.lab.hosts
        regional = {name: {"ansible_host": h[name].address, "hufu_region": code} for name, code in REGIONS.items()}
        if with_new_region:
            regional[NEW_REGION[0]] = {"ansible_host": h[NEW_REGION[0]].address, "hufu_region": NEW_REGION[1]}
        hosts = {"all": {"children": {
            "national": {"hosts": {NATIONAL: {"ansible_host": h[NATIONAL].address}}},
            "regional": {"hosts": regional},
            "monitoring": {"hosts": {NATIONAL: {}}},
            "backup_store": {"hosts": {STORE: {"ansible_host": h[STORE].address}}},
        }}}
        (self.inventory / "hosts.yml").write_text(json.dumps(hosts, indent=2), encoding="utf-8")
        test_vars = {
            # how the control node reaches the test hosts
            "ansible_user": "root",
            "ansible_ssh_private_key_file": str(self.lab.key),
            "ansible_ssh_common_args": f"-o UserKnownHostsFile={self.lab.known_hosts} -o StrictHostKeyChecking=yes",
            # what the test hosts are: no systemd, no package mirror, no clock to set
            "hufu_process_manager": "supervisor",
            "hufu_apt_update_cache": False,
            "hufu_ntp_control_clock": False,
            "hufu_ntp_servers": [self.lab.control_address],
            "hufu_release_bundle": str(bundle),
            # small and quick: five nodes share two cores
            "hufu_national_web_workers": 1,
            "hufu_regional_web_workers": 1,
            "hufu_national_grpc_workers": 4,
            "hufu_national_case_interval_s": 1.0,
            "hufu_regional_sync_interval_s": 1.0,
            "hufu_regional_screen_interval_s": 1.0,
            "hufu_postgresql_settings": {"shared_buffers": "32MB", "max_connections": 50,
                                         "password_encryption": "scram-sha-256"},
            "hufu_monitoring_scrape_interval": "5s",
        }
        (self.inventory / "group_vars" / "all" / "zz_deploy_test.yml").write_text(
            "# written by ansible/tests/deploy_test.py\n" + json.dumps(test_vars, indent=2), encoding="utf-8")

    # ------------------------------------------------------------------ running playbooks

    def play(self, playbook: str, *extra: str, expect_failure: bool = False, quiet: bool = False) -> Recap:
        """Run a playbook from the control node; print its recap; fail unless it succeeded (or was meant to fail)."""
        self.runs += 1
        log = self.work / f"{self.runs:02d}-{playbook.removesuffix('.yml')}.log"
        env = {
            **os.environ,
            "PATH": f"{VENV_BIN}:{os.environ.get('PATH', '')}",
            "ANSIBLE_CONFIG": str(ANSIBLE / "ansible.cfg"),
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_DISPLAY_OK_HOSTS": "false",      # the log lists what changed or failed
            "ANSIBLE_DISPLAY_SKIPPED_HOSTS": "false",
            "ANSIBLE_SSH_CONTROL_PATH_DIR": f"/tmp/hufu-cp-{self.lab.run_id}",
            "ANSIBLE_LOCAL_TEMP": str(self.work / "ansible-tmp"),
            "ANSIBLE_HOME": str(self.work / "ansible-home"),
            # each task's time in the log (the slow parts of a run are found there)
            "ANSIBLE_CALLBACKS_ENABLED": "ansible.posix.profile_tasks",
            "PROFILE_TASKS_TASK_OUTPUT_LIMIT": "25",
        }
        argv = ["ip", "netns", "exec", self.lab.switch, str(VENV_BIN / "ansible-playbook"),
                "-i", str(self.inventory / "hosts.yml"), "--vault-password-file",
                str(self.inventory / "vault-password.txt"), playbook, *extra]
        say(f"ansible-playbook {playbook} {' '.join(extra)}".rstrip())
        started = time.monotonic()
        with log.open("w") as fh:
            fh.write(f"$ {shlex.join(argv)}\n")
            fh.flush()
            rc = subprocess.run(argv, cwd=ANSIBLE, env=env, stdout=fh, stderr=subprocess.STDOUT).returncode
        seconds = time.monotonic() - started
        text = log.read_text(encoding="utf-8", errors="replace")
        recap = Recap(playbook=f"{playbook} {' '.join(extra)}".strip(), rc=rc, hosts=_parse_recap(text),
                      text=_recap_text(text), seconds=seconds, log=log)
        self.recaps.append(recap)
        print(f"\n--- {recap.playbook}: exit {rc} after {seconds:.0f} s (log {log})\n{recap.text}\n", flush=True)
        if expect_failure:
            if rc == 0:
                raise DeployTestFailed(f"{playbook} was expected to fail and succeeded")
        elif rc != 0:
            raise DeployTestFailed(f"{playbook} failed (exit {rc}); the failing tasks:\n{_failures(text)}\n"
                                   f"full log: {log}")
        return recap

    # ------------------------------------------------------------------ looking at the nodes

    def hufu(self, host: str, command: str, *, check: bool = True, input: str | None = None) -> str:
        """Run `hufu …` on a host as the service user (as an operator would)."""
        result = self.lab.ssh(host, f"cd /tmp && sudo -u hufu /usr/local/bin/hufu {command}", check=check,
                              input=input)
        return result.stdout + result.stderr

    def sql(self, host: str, query: str, db: str | None = None) -> str:
        """Run SQL against the node's database on `host` (as the postgres superuser, over its socket)."""
        db = db or _db_name(host)
        result = self.lab.ssh(host, f"sudo -u postgres psql -d {db} -AtXq -v ON_ERROR_STOP=1", input=query)
        return result.stdout.strip()

    def count(self, host: str, query: str) -> int:
        """A single number from SQL."""
        return int(self.sql(host, query) or 0)

    def snapshot(self, host: str) -> dict[str, set[str]]:
        """The primary keys of every table of the node's database."""
        rows = self.sql(host, """
            SELECT tc.table_name, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position)
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public'
            GROUP BY tc.table_name ORDER BY tc.table_name;""")
        tables = [line.split("|") for line in rows.splitlines() if line]
        def quoted(name: str) -> str:  # column names such as "window" are reserved words
            return '"' + name.replace('"', '""') + '"'

        query = " UNION ALL ".join(
            f"SELECT '{table}', ({', '.join(quoted(c) for c in cols.split(','))})::text FROM {quoted(table)}"
            if "," in cols else f"SELECT '{table}', {quoted(cols)}::text FROM {quoted(table)}"
            for table, cols in tables if table != "alembic_version")
        out: dict[str, set[str]] = {table: set() for table, _ in tables if table != "alembic_version"}
        for line in self.sql(host, query + ";").splitlines():
            table, _, key = line.partition("|")
            out[table].add(key)
        return out

    def signed_records(self, host: str) -> str:
        """A digest of the signed records: a region's outbox, the national node's filings."""
        table = "uplink_records" if host == NATIONAL else "outbox"
        return self.sql(host, f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') "
                              f"FROM {table} t;")

    def release(self, host: str) -> str:
        """The release a host runs (the target of /opt/hufu/current)."""
        return self.lab.ssh(host, "readlink /opt/hufu/current").stdout.strip().rsplit("/", 1)[-1]

    def wait(self, what: str, check: Any, timeout: float, interval: float = 1.0) -> float:
        """Poll `check()` until true; return the seconds it took."""
        started = time.monotonic()
        while True:
            if check():
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise DeployTestFailed(f"timed out after {timeout:.0f} s waiting for {what}")
            time.sleep(interval)

    # ------------------------------------------------------------------ the scenario's steps

    def import_samples(self, hosts: dict[str, str]) -> None:
        """Import generated registries and listings into regions (as an officer's file import)."""
        for host, code in hosts.items():
            for kind in ("registry", "listings"):
                path = self.samples / code / f"{kind}.jsonl"
                self.lab.ssh(host, f"cat > /tmp/{kind}.jsonl && chmod 0644 /tmp/{kind}.jsonl",
                             input=path.read_text(encoding="utf-8"))
                out = self.hufu(host, f"regional import-{kind} /tmp/{kind}.jsonl "
                                      f"--data-dir /var/lib/hufu/region-{code} --actor deploy-test")
                say(f"{host}: {out.strip().splitlines()[-1]}")

    def wait_synced(self, regions: dict[str, str], timeout: float = 240.0) -> None:
        """Every region screened its listings and every lead it holds is at the national node."""
        def synced() -> bool:
            for host, code in regions.items():
                if self.count(host, "SELECT count(*) FROM listings WHERE screened_at IS NULL;"):
                    return False
                local = self.count(host, "SELECT count(*) FROM leads;")
                national = self.count(NATIONAL, f"SELECT count(*) FROM leads WHERE region = '{code}';")
                if national < local or local == 0:
                    return False
            return True
        took = self.wait("every region's leads at the national node", synced, timeout, 2.0)
        say(f"every lead of {', '.join(regions.values())} is at the national node ({took:.0f} s)")

    def lead_within_deadline(self, host: str, code: str, tag: str) -> float:
        """Import one infringing listing in a region; it must be a lead at national within 60 s."""
        listing_id = self.sql(host, "SELECT l.listing_id FROM leads l ORDER BY l.id LIMIT 1;")
        if not listing_id and not self.count(host, "SELECT count(*) FROM listings;"):
            # step 'federation' (which imports the samples) was not run, e.g. --steps install,upgrade
            say(f"{host} holds no listings (step 'federation' not run): importing its samples first")
            self.import_samples({host: code})
            self.wait_synced({host: code})
            listing_id = self.sql(host, "SELECT l.listing_id FROM leads l ORDER BY l.id LIMIT 1;")
        if not listing_id:
            raise DeployTestFailed(f"{host} holds no lead to copy a listing from")
        listing = None
        for line in (self.samples / code / "listings.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if str(record.get("id") or record.get("listing_id")) == listing_id:
                listing = record
                break
        if listing is None:
            raise DeployTestFailed(f"listing {listing_id} of {host} is not in the sample file")
        new_id = f"{listing_id}-{tag}"
        key = "id" if "id" in listing else "listing_id"
        listing[key] = new_id
        self.lab.ssh(host, f"cat > /tmp/one-{tag}.jsonl && chmod 0644 /tmp/one-{tag}.jsonl",
                     input=json.dumps(listing, ensure_ascii=False) + "\n")
        started = time.monotonic()
        out = self.hufu(host, f"regional import-listings /tmp/one-{tag}.jsonl --data-dir /var/lib/hufu/region-{code}")
        try:
            self.wait(f"listing {new_id} of {code} as a lead at the national node",
                      lambda: self.count(NATIONAL, f"SELECT count(*) FROM leads WHERE region = '{code}' "
                                                   f"AND listing_id = '{new_id}';") > 0, LEAD_DEADLINE_S, 0.5)
        except DeployTestFailed as exc:
            region = self.sql(host, f"SELECT 'listing screened_at=' || coalesce(screened_at::text, 'never') FROM listings "
                                    f"WHERE id = '{new_id}' UNION ALL SELECT 'lead ' || uuid || ' ' || state FROM leads "
                                    f"WHERE listing_id = '{new_id}' UNION ALL SELECT 'sync ' || key || '=' || value "
                                    "FROM sync_state;")
            national = self.sql(NATIONAL, f"SELECT 'uplink records ' || count(*) FROM uplink_records WHERE region = "
                                          f"'{code}' UNION ALL SELECT 'leads ' || count(*) FROM leads WHERE region = '{code}';")
            log = self.lab.ssh(host, "tail -n 15 /var/log/hufu/hufu-regional-worker.log", check=False).stdout
            raise DeployTestFailed(f"{exc}\nimport: {out.strip()}\n{host}: {region}\nnational: {national}\n"
                                   f"worker log:\n{log}") from None
        took = time.monotonic() - started
        say(f"listing {new_id} imported in {code} was a lead at the national node {took:.1f} s later "
            f"(limit {LEAD_DEADLINE_S:.0f} s)")
        return took

    def cross_region_case(self, codes: tuple[str, str]) -> str:
        """A cross-region case concerning both regions, delivered to both."""
        a, b = codes

        def formed() -> str:
            return self.sql(NATIONAL, "SELECT uuid FROM cases WHERE cross_region AND regions::jsonb ? "
                                      f"'{a}' AND regions::jsonb ? '{b}' ORDER BY id LIMIT 1;")
        self.wait(f"a cross-region case of {a} and {b} at the national node", lambda: bool(formed()), 120, 2.0)
        case = formed()
        hosts = {code: host for host, code in {**REGIONS, NEW_REGION[0]: NEW_REGION[1]}.items()}
        for code in codes:
            self.wait(f"case {case} delivered to {code}", lambda code=code: self.count(
                hosts[code], f"SELECT count(*) FROM received_cases WHERE case_uuid = '{case}';") == 1, 120, 2.0)
        say(f"cross-region case {case} formed nationally and delivered to {a} and {b}")
        return case

    def assert_kept(self, before: dict[str, dict[str, set[str]]], what: str) -> None:
        """Every primary key seen before is still there, in every table of every node."""
        problems = []
        total = 0
        for host, tables in before.items():
            now = self.snapshot(host)
            for table, keys in tables.items():
                if table in VOLATILE:
                    continue
                total += len(keys)
                missing = keys - now.get(table, set())
                if missing:
                    problems.append(f"{host}.{table}: {len(missing)} of {len(keys)} rows gone, e.g. "
                                    f"{sorted(missing)[:3]}")
        if problems:
            raise DeployTestFailed(f"{what} lost records:\n" + "\n".join(problems))
        say(f"{what}: all {total} records of {len(before)} nodes kept "
            f"({', '.join(f'{h} {sum(len(k) for t, k in v.items() if t not in VOLATILE)}' for h, v in before.items())})")

    def check_no_world_readable_keys(self) -> None:
        """No private key of the federation is readable by other users, on any host."""
        for host in (NATIONAL, *REGIONS):
            out = self.lab.ssh(host, "find /var/lib/hufu /etc/hufu /var/backups/hufu /root/.ssh -name '*.key' "
                                     "-o -name '*_ed25519' | xargs -r stat -c '%a %U %n'").stdout
            bad = [line for line in out.splitlines() if line and int(line.split()[0], 8) & 0o077]
            if bad or not out.strip():
                raise DeployTestFailed(f"{host}: keys readable by others (or none found): {bad or out!r}")
        ca = self.lab.ssh(NATIONAL, "stat -c '%a %U' /var/lib/hufu/ca /var/lib/hufu/ca/ca.key").stdout.split("\n")
        if not all(line.startswith(("700 root", "600 root")) for line in ca if line):
            raise DeployTestFailed(f"the CA on {NATIONAL} is not root-only: {ca}")
        for host in REGIONS:
            if self.lab.ssh(host, "test -e /var/lib/hufu/ca/ca.key", check=False).returncode == 0:
                raise DeployTestFailed(f"the CA key reached {host}")
        say("keys: owner-only everywhere; the CA key only on the national host, root-only")

    def check_network_and_proxy(self) -> None:
        """The firewall admits only what it should; nginx serves HTTPS with HSTS and limits."""
        nat = self.lab.hosts[NATIONAL].address
        reg = self.lab.hosts["region-440000"].address
        probe = ("python3 -c 'import socket,sys; s=socket.socket(); s.settimeout(3); "
                 "print(s.connect_ex((sys.argv[1], int(sys.argv[2]))))' ")
        from_control = self.lab.in_switch(["sh", "-c", probe + f"{nat} 50051"], check=False).stdout.strip()
        from_region = self.lab.ssh("region-440000", probe + f"{nat} 50051").stdout.strip()
        postgres = self.lab.in_switch(["sh", "-c", probe + f"{reg} 5432"], check=False).stdout.strip()
        if from_region != "0" or from_control == "0" or postgres == "0":
            raise DeployTestFailed(f"firewall: national gRPC from a region={from_region} (want 0), from the control "
                                   f"node={from_control} (want refused), region PostgreSQL={postgres} (want refused)")
        curl = ["curl", "-sk", "-o", "/dev/null", "-D", "-", "--max-time", "10"]
        headers = self.lab.in_switch([*curl, f"https://{reg}/healthz"], check=False).stdout
        redirect = self.lab.in_switch([*curl, f"http://{reg}/healthz"], check=False).stdout
        big = self.lab.in_switch(["sh", "-c", f"head -c 70000000 /dev/zero | curl -sk -o /dev/null -w '%{{http_code}}' "
                                  f"--max-time 30 -X POST --data-binary @- https://{reg}/healthz"],
                                 check=False).stdout.strip()
        metrics = self.lab.in_switch([*curl, f"https://{reg}/metrics"], check=False).stdout
        problems = []
        if not headers.startswith("HTTP/2 200") or "strict-transport-security: max-age=" not in headers.lower():
            problems.append(f"HTTPS /healthz: {headers.splitlines()[:1]} HSTS {'strict-transport' in headers.lower()}")
        if " 301" not in redirect.splitlines()[0] if redirect else True:
            problems.append(f"HTTP does not redirect: {redirect.splitlines()[:1]}")
        if big != "413":
            problems.append(f"a 70 MB request got {big}, not 413")
        if " 403" not in (metrics.splitlines() or [""])[0]:
            problems.append(f"/metrics from the control node: {metrics.splitlines()[:1]} (want 403)")
        if problems:
            raise DeployTestFailed("proxy: " + "; ".join(problems))
        say("firewall: gRPC only from regions, PostgreSQL closed; nginx: HTTPS+HSTS, HTTP->301, 70 MB->413, "
            "/metrics 403 from outside")

    def check_monitoring(self) -> None:
        """Prometheus on the national host scrapes every node and exporter; the alert rules load."""
        def targets() -> dict[str, str]:
            out = self.lab.ssh(NATIONAL, "curl -s http://127.0.0.1:9090/api/v1/targets").stdout
            active = json.loads(out)["data"]["activeTargets"]
            return {f"{t['labels']['job']}/{t['labels'].get('host', '')}": t["health"] for t in active}
        self.wait("every Prometheus target up", lambda: all(v == "up" for v in targets().values())
                  and len(targets()) >= 8, 90, 3.0)
        rules = json.loads(self.lab.ssh(NATIONAL, "curl -s http://127.0.0.1:9090/api/v1/rules").stdout)
        names = [r["name"] for g in rules["data"]["groups"] for r in g["rules"]]
        query = "count(hufu_certificate_expiry_timestamp_seconds)"
        certs = json.loads(self.lab.ssh(NATIONAL, f"curl -s --data-urlencode 'query={query}' "
                                                  "http://127.0.0.1:9090/api/v1/query").stdout)
        n_certs = int(float(certs["data"]["result"][0]["value"][1])) if certs["data"]["result"] else 0
        if len(names) < 10 or n_certs < 6:
            raise DeployTestFailed(f"monitoring: {len(names)} alert rules loaded, {n_certs} certificates watched")
        say(f"monitoring: {len(targets())} targets up ({', '.join(sorted(targets()))}), {len(names)} alert rules, "
            f"{n_certs} certificate expiry series")

    # ------------------------------------------------------------------ the scenario

    STEPS = ("install", "rerun", "federation", "upgrade", "restore", "regions")

    def run(self, steps: tuple[str, ...] = STEPS, attach: bool = False) -> None:
        """The scenario, or some of its steps against a lab left running by --keep (--attach)."""
        state_file = self.work / "state.json"
        if attach:
            self.lab = Lab.attach(self.work / "lab")
            state = json.loads(state_file.read_text(encoding="utf-8"))
            self.prev, self.current = Path(state["prev"]), Path(state["current"])
            self.prev_release = state.get("prev_release", "")
        else:
            self.prev, self.current = self.build_bundles()
            self.build_lab()
            self.write_inventory(self.prev)
            from national.hufu import main as hufu_main  # the sample generator of this checkout

            if hufu_main(["regional", "sample", "--regions", *REGIONS.values(), NEW_REGION[1], "--listings", "120",
                          "--out", str(self.samples)]) != 0:
                raise DeployTestFailed("generating the sample data failed")
            self.prev_release = ""
        for step in steps:
            getattr(self, f"step_{step}")()
            state_file.write_text(json.dumps({"prev": str(self.prev), "current": str(self.current),
                                              "prev_release": self.prev_release, "done": step}), encoding="utf-8")

    def step_install(self) -> None:
        """1. first install of the previous release."""
        self.play("site.yml")
        self.prev_release = self.release(NATIONAL)

    def step_rerun(self) -> None:
        """1b. a second site.yml run must change nothing."""
        rerun = self.play("site.yml")
        changed = {host: c["changed"] for host, c in rerun.hosts.items() if c["changed"]}
        if changed or not rerun.hosts:
            raise DeployTestFailed(f"the second site.yml run changed something: {changed}; see {rerun.log}")
        say(f"second site.yml run: changed=0 on all {len(rerun.hosts)} hosts")
        self.prev_release = self.release(NATIONAL)

    def step_federation(self) -> None:
        """2. the federation works (previous release)."""
        self.check_no_world_readable_keys()
        self.check_network_and_proxy()
        self.import_samples(REGIONS)
        self.wait_synced(REGIONS)
        self.lead_within_deadline("region-440000", "440000", "t1")
        self.cross_region_case(("440000", "330000"))
        self.check_monitoring()

    def step_upgrade(self) -> None:
        """3. upgrade to this checkout: first with a region cut off (the rollout must stop there), then for real."""
        prev_release = self.prev_release or self.release(NATIONAL)
        before = {host: self.snapshot(host) for host in (NATIONAL, *REGIONS)}
        self.write_inventory(self.current)
        nat = self.lab.hosts[NATIONAL].address
        self.lab.ssh("region-440000", "nft add table inet hufu_test && nft add chain inet hufu_test out "
                                      "'{ type filter hook output priority 0; }' && "
                                      f"nft add rule inet hufu_test out ip daddr {nat} tcp dport 50051 drop")
        self.play("upgrade.yml", "-e", "hufu_regional_health_sync_timeout_s=20", expect_failure=True)
        releases = {host: self.release(host) for host in (NATIONAL, *REGIONS)}
        if releases[NATIONAL] == prev_release or releases["region-330000"] != prev_release:
            raise DeployTestFailed(f"the failed rollout did not stop at the first failing node: {releases}")
        say(f"rollout stopped at region-440000: national on {releases[NATIONAL]}, region-330000 still on "
            f"{releases['region-330000']}")
        self.lab.ssh("region-440000", "nft delete table inet hufu_test")
        self.play("upgrade.yml")
        releases = {host: self.release(host) for host in (NATIONAL, *REGIONS)}
        if len(set(releases.values())) != 1 or releases[NATIONAL] == prev_release:
            raise DeployTestFailed(f"after upgrade.yml the nodes run {releases}")
        self.assert_kept(before, f"upgrade {prev_release} -> {releases[NATIONAL]}")
        self.lead_within_deadline("region-330000", "330000", "t2")
        if not self.rerun_after_upgrade:  # a third full site.yml run: about a quarter of the test's time
            return
        rerun = self.play("site.yml")
        changed = {host: c["changed"] for host, c in rerun.hosts.items() if c["changed"]}
        if changed:
            raise DeployTestFailed(f"site.yml after the upgrade changed something: {changed}; see {rerun.log}")
        say("site.yml after the upgrade: changed=0 on every host")

    def step_restore(self) -> None:
        """4. backup, deliberate data loss, restore."""
        before = {host: self.snapshot(host) for host in (NATIONAL, *REGIONS)}
        signed = {host: self.signed_records(host) for host in (NATIONAL, *REGIONS)}
        self.play("backup.yml")
        copies = self.lab.ssh(STORE, "ls /srv/hufu-backups/*/ | grep -c manual").stdout.strip()
        if int(copies or 0) < 3:
            raise DeployTestFailed(f"the backup store holds {copies} manual backups, want 3")
        self.lab.ssh(NATIONAL, "sudo -u postgres dropdb --force hufu_national")
        self.lab.ssh("region-330000", "sudo -u postgres dropdb --force hufu_region_330000 && "
                                      "rm -rf /var/lib/hufu/region-330000 /var/backups/hufu/2*")
        say("data loss: national database dropped; region-330000's database, data dir and local backups deleted")
        self.play("restore.yml", "--limit", NATIONAL, "-e", "hufu_restore_confirm=true")
        # the operator the national node records (restore.yml's default, $USER, is unset under docker exec, cron …)
        self.play("restore.yml", "--limit", "region-330000", "-e", "hufu_restore_confirm=true",
                  "-e", "hufu_restore_from_store=true", "-e", "hufu_restore_operator=deploy-test")
        self.assert_kept(before, "restore")
        after = {host: self.signed_records(host) for host in (NATIONAL, *REGIONS)}
        for host in signed:
            if int(after[host].split(":")[0]) < int(signed[host].split(":")[0]):
                raise DeployTestFailed(f"{host}: signed records {signed[host]} before, {after[host]} after restore")
        self.lead_within_deadline("region-330000", "330000", "t3")

    def step_regions(self) -> None:
        """5. a third region on a host built now, added with one command; then a revocation."""
        host, code = NEW_REGION
        if host not in self.lab.hosts:
            started = time.monotonic()
            new = self.lab.add_host(host)
            say(f"new test host {host}={new.address} (namespace {new.netns}, own root, sshd) up in "
                f"{time.monotonic() - started:.1f} s")
        self.write_inventory(self.current, with_new_region=True)
        self.play("add-region.yml", "-e", f"hufu_region={code}")
        if self.release(host) != self.release(NATIONAL):
            raise DeployTestFailed(f"{host} runs {self.release(host)}, the national node {self.release(NATIONAL)}")
        self.import_samples({host: code})
        self.wait_synced({host: code})
        self.lead_within_deadline(host, code, "t4")
        case, concerned = self.cross_region_case_of(code)
        say(f"cross-region case {case} of {', '.join(concerned)} (with the new region {code}) delivered to each")
        self.wait(f"Prometheus scraping {host}", lambda: self._target_health(f"hufu_regional/{host}") == "up", 90, 3.0)
        say(f"monitoring: hufu_regional/{host} up")

        revoked_host, revoked = "region-330000", REGIONS["region-330000"]
        accepted, said = self.raw_call(revoked_host, revoked)
        if not accepted:
            raise DeployTestFailed(f"before revoke-region.yml the national node already refuses {revoked}: {said}")
        self.play("revoke-region.yml", "-e", f"hufu_region={revoked}")
        # the region's own node, with its (now revoked) certificate, is refused by the national node
        out = self.hufu(revoked_host, f"regional sync --data-dir /var/lib/hufu/region-{revoked}", check=False)
        if "PERMISSION_DENIED" not in out and "revoked" not in out.lower():
            raise DeployTestFailed(f"{revoked_host} still syncs after revoke-region.yml:\n{out}")
        accepted, refused = self.raw_call(revoked_host, revoked)
        if accepted or "PERMISSION_DENIED" not in refused or "revoked" not in refused:
            raise DeployTestFailed(f"a direct gRPC call with {revoked}'s revoked certificate: {refused}")
        noted = self.sql(NATIONAL, f"SELECT last_error FROM regions WHERE code = '{revoked}';")
        if "revoked" not in noted:
            raise DeployTestFailed(f"the national node did not note the refusal of {revoked}: {noted!r}")
        held = self.count(NATIONAL, f"SELECT count(*) FROM leads WHERE region = '{revoked}';")
        uplink = self.count(NATIONAL, f"SELECT count(*) FROM uplink_records WHERE region = '{revoked}';")
        # the others keep syncing, the old regions and the new one alike
        self.lead_within_deadline("region-440000", "440000", "t5")
        self.lead_within_deadline(host, code, "t6")
        # and nothing the revoked region's worker sends in the meantime lands at the national node
        late = self.import_one(revoked_host, revoked, "t7")
        self.wait(f"listing {late} screened into a lead in {revoked}", lambda: self.count(
            revoked_host, f"SELECT count(*) FROM leads WHERE listing_id = '{late}';") == 1, 60, 1.0)
        time.sleep(10)  # ten of its worker's sync intervals
        now = (self.count(NATIONAL, f"SELECT count(*) FROM leads WHERE region = '{revoked}';"),
               self.count(NATIONAL, f"SELECT count(*) FROM uplink_records WHERE region = '{revoked}';"))
        if now != (held, uplink):
            raise DeployTestFailed(f"the revoked region's records still reach the national node: leads {held} -> "
                                   f"{now[0]}, uplink records {uplink} -> {now[1]}")
        error = self.sql(revoked_host, "SELECT value FROM sync_state WHERE key = 'last_error';")
        say(f"region {revoked} locked out: `hufu regional sync` refused ({_refusal(out)}); a direct gRPC call with "
            f"its certificate refused ({refused}); national notes it; its worker's new lead did not reach the national node "
            f"(last error: {error[:120] or '-'}); 440000 and {code} still sync")

    def import_one(self, host: str, code: str, tag: str) -> str:
        """Import a copy of one of the region's lead listings under a new id; return the id."""
        listing_id = self.sql(host, "SELECT l.listing_id FROM leads l ORDER BY l.id LIMIT 1;")
        for line in (self.samples / code / "listings.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if str(record.get("id") or record.get("listing_id")) == listing_id:
                key = "id" if "id" in record else "listing_id"
                record[key] = f"{listing_id}-{tag}"
                self.lab.ssh(host, f"cat > /tmp/one-{tag}.jsonl && chmod 0644 /tmp/one-{tag}.jsonl",
                             input=json.dumps(record, ensure_ascii=False) + "\n")
                self.hufu(host, f"regional import-listings /tmp/one-{tag}.jsonl --data-dir /var/lib/hufu/region-{code}")
                return record[key]
        raise DeployTestFailed(f"listing {listing_id} of {host} is not in the sample file")

    def raw_call(self, host: str, code: str) -> tuple[bool, str]:
        """Call the national node's gRPC service directly with the region's certificate: (accepted, what it said)."""
        probe = RAW_CALL.replace("@DATA@", f"/var/lib/hufu/region-{code}")
        result = self.lab.ssh(host, "cd /tmp && sudo -u hufu /opt/hufu/current/venv/bin/python -", input=probe,
                              check=False)
        out = (result.stdout + result.stderr).strip()
        first = out.splitlines()[0] if out else ""
        if first.startswith("ACCEPTED") and result.returncode == 1:
            return True, first
        if first.startswith("REFUSED") and result.returncode == 0:
            return False, first.removeprefix("REFUSED ")[:200]
        raise DeployTestFailed(f"the direct gRPC call from {host} neither succeeded nor was refused "
                               f"(exit {result.returncode}):\n{out[-2000:]}")

    def cross_region_case_of(self, code: str) -> tuple[str, list[str]]:
        """A cross-region case concerning region `code` and another, delivered to every region concerned."""
        def formed() -> str:
            return self.sql(NATIONAL, "SELECT uuid || '|' || regions::text FROM cases WHERE cross_region AND "
                                      f"regions::jsonb ? '{code}' ORDER BY id LIMIT 1;")
        self.wait(f"a cross-region case concerning {code} at the national node", lambda: bool(formed()), 120, 2.0)
        case, _, regions = formed().partition("|")
        concerned = [str(r) for r in json.loads(regions)]
        hosts = {c: h for h, c in {**REGIONS, NEW_REGION[0]: NEW_REGION[1]}.items()}
        for region in concerned:
            self.wait(f"case {case} delivered to {region}", lambda region=region: self.count(
                hosts[region], f"SELECT count(*) FROM received_cases WHERE case_uuid = '{case}';") == 1, 120, 2.0)
        return case, concerned

    def _target_health(self, target: str) -> str:
        out = self.lab.ssh(NATIONAL, "curl -s http://127.0.0.1:9090/api/v1/targets", check=False).stdout
        try:
            active = json.loads(out)["data"]["activeTargets"]
        except (ValueError, KeyError):
            return ""
        return next((t["health"] for t in active
                     if f"{t['labels']['job']}/{t['labels'].get('host', '')}" == target), "")

    def report(self) -> None:
        """The recap of every playbook run."""
        print("\n=== deploy test: every playbook's recap ===", flush=True)
        for recap in self.recaps:
            print(f"\n{recap.playbook}  (exit {recap.rc}, {recap.seconds:.0f} s)\n{recap.text}")
        print(f"\ntotal {time.monotonic() - self.started:.0f} s", flush=True)


# ---------------------------------------------------------------------- recap parsing

_RECAP_LINE = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+"
                         r"skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)")


def _parse_recap(text: str) -> dict[str, dict[str, int]]:
    hosts: dict[str, dict[str, int]] = {}
    in_recap = False
    for line in text.splitlines():
        if line.startswith("PLAY RECAP"):
            in_recap = True
            continue
        match = _RECAP_LINE.match(line) if in_recap else None
        if match:
            keys = ("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored")
            hosts[match.group(1)] = dict(zip(keys, (int(g) for g in match.groups()[1:]), strict=True))
    return hosts


def _recap_text(text: str) -> str:
    if "PLAY RECAP" not in text:
        return "(no recap: ansible-playbook stopped before running a play)\n" + "\n".join(text.splitlines()[-15:])
    block = text[text.index("PLAY RECAP"):].splitlines()
    return "\n".join(line for line in block if line.strip() and (line.startswith("PLAY RECAP") or _RECAP_LINE.match(line)))


def _failures(text: str) -> str:
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith(("fatal:", "failed:")) or "FAILED!" in line:
            task = next((lines[j] for j in range(i, -1, -1) if lines[j].startswith("TASK [")), "")
            out.append(f"{task}\n{line[:1500]}")
    return "\n".join(out[-6:]) or "\n".join(lines[-30:])


def _refusal(out: str) -> str:
    for line in out.splitlines():
        if "PERMISSION_DENIED" in line or "revoked" in line.lower():
            return line.strip()[:160]
    return out.strip()[:160]


def _db_name(host: str) -> str:
    if host == NATIONAL:
        return "hufu_national"
    return "hufu_region_" + host.removeprefix("region-")


def main() -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the test hosts running at the end (debugging)")
    parser.add_argument("--work", type=Path, help="work directory (default test-artifacts/deploy/<time>)")
    parser.add_argument("--attach", action="store_true",
                        help="run against the lab a --keep run left in --work (with --steps)")
    parser.add_argument("--steps", default=",".join(DeployTest.STEPS),
                        help=f"comma-separated steps to run (default all: {','.join(DeployTest.STEPS)})")
    parser.add_argument("--current-bundle", type=Path,
                        help="use this bundle as the new release instead of building one from the checkout")
    parser.add_argument("--rerun-after-upgrade", action="store_true",
                        help="after the upgrade, run site.yml once more and require changed=0 on every host "
                             "(the second site.yml run of step 'rerun' checks this on the previous release)")
    args = parser.parse_args()
    missing = requirements_missing()
    if missing:
        print("deploy-test needs: " + "; ".join(missing) + " (as root, .ci/deploy-deps installs the packages)",
              file=sys.stderr)
        return 2
    work = (args.work or REPO / "test-artifacts" / "deploy" / time.strftime("%Y%m%d-%H%M%S")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    steps = tuple(x for x in args.steps.split(",") if x)
    unknown = [x for x in steps if x not in DeployTest.STEPS]
    if unknown or (args.attach and not args.work):
        parser.error(f"unknown steps {unknown}" if unknown else "--attach needs --work DIR")
    test = DeployTest(work, args.keep or args.attach, args.current_bundle, args.rerun_after_upgrade)
    args.keep = test.keep

    def _interrupted(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupted)
    code = 1
    try:
        test.run(steps, attach=args.attach)
        code = 0
    except (DeployTestFailed, LabError) as exc:
        say(f"FAILED: {exc}")
    except KeyboardInterrupt:
        say("interrupted")
        code = 130
    finally:
        test.report()
        if args.keep:
            say(f"hosts left running (--keep): {', '.join(f'{h.name}={h.address}' for h in test.lab.hosts.values())}; "
                f"ssh from `ip netns exec {test.lab.switch}` with -i {test.lab.key}")
        else:
            say("tearing the test hosts down")
            test.lab.destroy()
    say("PASSED" if code == 0 else f"exit {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
