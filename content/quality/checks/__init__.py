"""Automatic quality criteria: small check functions, one registry."""
