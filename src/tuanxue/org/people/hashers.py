"""A quick hasher for one-time passwords that Tuanxue itself draws at random.

Django's default PBKDF2 (1,000,000 iterations) costs about 0.3 s per password: fine for a login,
but creating 30,000 student accounts would take hours. An initial or reset password here is 10
characters drawn by ``secrets`` from 31 symbols (about 49.5 bits), valid only until its first use:
at its first successful login Django re-hashes it with the default hasher (this one is listed
after the default in PASSWORD_HASHERS, so it is never the preferred one), and the owner must then
choose a password of their own, hashed with the default. Guessing 2^49 candidates at 2,000
PBKDF2 iterations each is still far beyond an attacker who steals the database.
"""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher

ALGORITHM = "pbkdf2_sha256_once"


class OneTimePasswordHasher(PBKDF2PasswordHasher):
    algorithm = ALGORITHM
    iterations = 2000
