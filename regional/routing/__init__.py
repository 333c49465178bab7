"""Routing (推送): the agency directory and the rules that send a confirmed lead to the body that must act."""
