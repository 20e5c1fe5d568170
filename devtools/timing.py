"""Time a piece of work three ways, for benchmarks run on a shared machine: wall time, this process's
processor time, and the processor time of its PostgreSQL server process when that runs on this
machine. On a loaded machine the wall time waits for a core; the two processor times add up to what
an idle machine would take, the database's own waits for the disk aside."""

import os
import time
from dataclasses import dataclass

from django.db import connection


@dataclass
class Timing:
    wall: float = 0.0
    cpu: float = 0.0
    database_cpu: float | None = None  # None: not a local PostgreSQL server

    @property
    def total_cpu(self):
        return self.cpu + (self.database_cpu or 0.0)

    def describe(self):
        text = f"{self.wall:.2f} s réel, {self.cpu:.2f} s de calcul Python"
        if self.database_cpu is not None:
            text += f" et {self.database_cpu:.2f} s de calcul PostgreSQL"
        return text


class Stopwatch:
    """`with Stopwatch() as timing:` fills `timing` (a Timing) when the block ends."""

    def __enter__(self):
        self.timing = Timing()
        self._database = _database_cpu()
        self._start, self._cpu = time.perf_counter(), time.process_time()
        return self.timing

    def __exit__(self, *exc):
        self.timing.wall = time.perf_counter() - self._start
        self.timing.cpu = time.process_time() - self._cpu
        database = _database_cpu()
        if database is not None and self._database is not None:
            self.timing.database_cpu = database - self._database
        return False


def load_average():
    """The machine's load average over 1, 5 and 15 minutes: the 2 cores are shared."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _database_cpu():
    """Seconds of processor time used so far by this connection's server process, if it is local."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None  # another machine's server, or no /proc
    # utime and stime, the 14th and 15th fields of the line (the 12th and 13th after the name).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
