"""The hub's core: roles, bootstrap, security, exports and the hub-wide commands."""
