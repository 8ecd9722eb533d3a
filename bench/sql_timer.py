"""The time a bench's requests spend in the database driver, for any bench that splits it out."""

import time


class SQLTimer:
    """Sums the time spent in the cursor's execute, as a connection execute wrapper."""

    def __init__(self):
        self.seconds = 0.0
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.statements += 1
