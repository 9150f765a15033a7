"""firma's core: what every app stands on, and which imports no app.

The shared cache and each process's copies (cache), the signers' write turns on SQLite (turns),
who the client is (clients), security headers and private pages (middleware), the health checks
(health), the signals that carry what happened from one app to another (events), and periodic
background tasks with their recovery (periodic, recovery).
"""
