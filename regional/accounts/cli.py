"""`hufu regional|national user …` and `token …`: accounts from the command line (both nodes).

`user add NAME --role R --data-dir D` reads the password from standard input: one line, and
optionally a second, confirming line that must match. `token add NAME` prints the token as
its last line.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any

from regional.accounts import secrets, service
from regional.accounts.service import Tables
from regional.actors import Actor
from sync.cli import data_dir_argument, fail, now

Loader = Callable[[argparse.Namespace], tuple[Any, Tables]]  # args -> (Database, Tables)
MAX_STDIN = 4096


def _cli_actor() -> Actor:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "?"
    return Actor(f"cli:{who}"[:100], frozenset({"admin"}))


def read_password(stream: Any = None) -> str:
    """The password from standard input: one line, optionally a second that must match it."""
    stream = stream or sys.stdin
    if stream.isatty():
        first = getpass.getpass("password: ")
        second = getpass.getpass("again: ")
    else:
        data = stream.read(MAX_STDIN + 1)
        if len(data) > MAX_STDIN:
            raise service.AccountError(secrets.N_("Password: standard input is longer than %(n)s bytes."),
                                       n=MAX_STDIN)
        lines = data.splitlines()
        if not lines or not lines[0]:
            raise service.AccountError(secrets.N_("Password: expected on standard input (one line)."))
        first = lines[0]
        second = lines[1] if len(lines) > 1 else first
        if len(lines) > 2 and any(line.strip() for line in lines[2:]):
            raise service.AccountError(secrets.N_("Password: expected one line, or two equal lines."))
    if first != second:
        raise service.AccountError(secrets.N_("Password: the two lines differ."))
    return first


def _run(load: Loader, args: argparse.Namespace, work: Callable[[Any, Tables], Any]) -> Any:
    db, tables = load(args)
    with db.transaction() as session:
        return work(session, tables)


def _guard(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except secrets.Refused as exc:
            return fail(str(exc))
    return run


def register(group: argparse._SubParsersAction, node: str, load: Loader) -> None:  # type: ignore[type-arg]
    """Add `user …` and `token …` under a node's command group."""
    roles = [r.value for r in service.roles_for(node)]

    def user_add(args: argparse.Namespace) -> int:
        password = read_password()
        _run(load, args, lambda s, t: service.add_user(s, t, args.name, args.role, password, actor=_cli_actor(),
                                                       now=now(), display_name=args.display_name))
        print(f"user {args.name} ({args.role}) added")
        return 0

    def user_set(active: bool) -> Callable[[argparse.Namespace], int]:
        def run(args: argparse.Namespace) -> int:
            _run(load, args, lambda s, t: service.set_active(s, t, args.name, active, actor=_cli_actor(), now=now()))
            print(f"user {args.name} {'enabled' if active else 'disabled'}")
            return 0
        return run

    def user_role(args: argparse.Namespace) -> int:
        _run(load, args, lambda s, t: service.set_role(s, t, args.name, args.role, actor=_cli_actor(), now=now()))
        print(f"user {args.name} is now {args.role}")
        return 0

    def user_password(args: argparse.Namespace) -> int:
        password = read_password()
        _run(load, args, lambda s, t: service.set_password(s, t, args.name, password, actor=_cli_actor(),
                                                           now=now()))
        print(f"password of {args.name} changed; their sessions have ended")
        return 0

    def user_list(args: argparse.Namespace) -> int:
        db, tables = load(args)
        with db.read() as s:
            users = service.list_users(s, tables)
            print(f"{'name':<24} {'role':<11} {'state':<9} last sign-in")
            for u in users:
                state = "active" if u.active else "disabled"
                last = u.last_login_at.isoformat(timespec="seconds") if u.last_login_at else "never"
                print(f"{u.name:<24} {u.role:<11} {state:<9} {last}")
        return 0

    def token_add(args: argparse.Namespace) -> int:
        token = _run(load, args, lambda s, t: service.add_token(s, t, args.name, args.label or "cli",
                                                                actor=_cli_actor(), now=now()))
        print(f"API token for {args.name} (shown once; send it as 'Authorization: Bearer TOKEN'):")
        print(token)
        return 0

    def token_list(args: argparse.Namespace) -> int:
        db, tables = load(args)
        with db.read() as s:
            print(f"{'id':>4} {'user':<24} {'label':<24} state")
            for row, user in service.list_tokens(s, tables):
                print(f"{row.id:>4} {user:<24} {row.label[:24]:<24} {'revoked' if row.revoked_at else 'live'}")
        return 0

    def token_revoke(args: argparse.Namespace) -> int:
        _run(load, args, lambda s, t: service.revoke_token(s, t, args.id, actor=_cli_actor(), now=now()))
        print(f"token {args.id} revoked")
        return 0

    users = group.add_parser("user", help=f"people who sign in to the {node} node's web UI",
                             description=f"Users of the {node} node: add, disable, enable, change role or "
                                         "password, list.")
    usub = users.add_subparsers(dest="user_cmd", required=True, metavar="COMMAND")

    def cmd(parent: Any, name: str, help_: str, func: Callable[[argparse.Namespace], int],
            with_name: bool = True) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_, description=help_[:1].upper() + help_[1:] + ".")
        if with_name:
            p.add_argument("name", help="the account name (letters, digits, . _ @ -)")
        data_dir_argument(p, node)
        p.set_defaults(func=_guard(func))
        return p

    x = cmd(usub, "add", "add a user; the password is read from standard input (a second, confirming "
                         "line may follow)", user_add)
    x.add_argument("--role", required=True, choices=roles, help="what the user may do: " + ", ".join(roles))
    x.add_argument("--display-name", help="the person's name as shown in the UI (optional)")
    cmd(usub, "disable", "disable a user (their sessions and tokens stop working)", user_set(False))
    cmd(usub, "enable", "enable a disabled user again", user_set(True))
    x = cmd(usub, "role", "change a user's role", user_role)
    x.add_argument("--role", required=True, choices=roles, help="the new role: " + ", ".join(roles))
    cmd(usub, "password", "set a user's password, read from standard input like `user add`", user_password)
    cmd(usub, "list", "list the users", user_list, with_name=False)

    tokens = group.add_parser("token", help="API tokens for machine clients acting as a user",
                              description="API tokens: a machine client sends 'Authorization: Bearer TOKEN'.")
    tsub = tokens.add_subparsers(dest="token_cmd", required=True, metavar="COMMAND")
    x = cmd(tsub, "add", "issue a token acting as user NAME; the token is the last line printed", token_add)
    x.add_argument("--label", help="what the token is for, e.g. the platform's name (default: cli)")
    cmd(tsub, "list", "list the tokens (never the tokens themselves)", token_list, with_name=False)
    x = cmd(tsub, "revoke", "revoke a token by its number (see `token list`)", token_revoke, with_name=False)
    x.add_argument("id", type=int, help="the token's number")
