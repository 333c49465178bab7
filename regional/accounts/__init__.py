"""Accounts of a node: users with one role each, API tokens, sign-in with throttling, every change audited.

Both nodes use these services with their own tables (`Tables`: the node's User, ApiToken,
LoginAttempt and AuditEntry classes). Passwords are hashed with Argon2id (argon2-cffi);
tokens are random and stored as their SHA-256 only.
"""
