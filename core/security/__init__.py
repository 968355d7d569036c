"""Security for running hubcms in production: 2FA, login throttling, safe uploads, CSP, health."""
