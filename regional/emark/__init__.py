"""Electronic IP marks (标识电子化, issue 14): issue, verify, revoke, trace; the detection signal."""
