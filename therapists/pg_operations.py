"""Moved to ``mhsite.pg_operations`` (both apps' migrations use it).

Kept only so migrations written on other branches before the move still
import; nothing in this branch imports it. Delete it once none do.
"""

from mhsite.pg_operations import RunSQLOnPostgreSQL, run_on_postgresql

__all__ = ["RunSQLOnPostgreSQL", "run_on_postgresql"]
