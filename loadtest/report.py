"""The load test's figures: the goals, a line per run and the final table (loadtest/run.py)."""

GOALS = {
    "cache_on": {"requests_per_second": 300, "p99_ms": 250},
    "cache_off": {"requests_per_second": 80},
}


def goals(runs):
    ceiling = runs["healthz"]["requests_per_second"]
    for run in runs.values():
        run["ratio_to_healthz"] = round(run["requests_per_second"] / ceiling, 3)
    outcome = {}
    for key, goal in GOALS.items():
        run = runs[key]
        checks = [run["requests_per_second"] >= goal["requests_per_second"], run["errors"] == 0]
        if "p99_ms" in goal:
            checks.append(run["p99_ms"] <= goal["p99_ms"])
        outcome[key] = {**goal, "errors": 0, "met": all(checks)}
    return outcome


def line(run):
    cpu, load_average = run["cpu"], run["load_average"]
    return (
        f"{run['label']} : {run['requests_per_second']:.1f} req/s ({run['requests']} en "
        f"{run['seconds']:.0f} s, {run['distinct_addresses']} adresses distinctes, "
        f"{run['pages_computed']} pages calculées pour le cache) ; "
        f"p50 {run['p50_ms']:.1f} ms, p99 {run['p99_ms']:.1f} ms, max {run['max_ms']:.0f} ms ; "
        f"erreurs {run['errors']} ; CPU par requête : gunicorn {cpu['gunicorn_ms_per_request']:.1f} ms, "
        f"PostgreSQL {cpu['postgresql_ms_per_request']:.1f} ms ; "
        f"wrk {cpu['wrk_seconds']:.1f} s, machine {cpu['machine_busy_seconds']:.0f} s occupée sur "
        f"{cpu['machine_seconds']:.0f} ; charge {load_average[0]:.1f} → {load_average[1]:.1f}"
    )


def report(result, var):
    runs = result["runs"]
    header = ("Essai", "req/s", "× healthz", "p50 ms", "p99 ms", "erreurs", "adresses", "calculées")
    header += ("gunicorn ms/req", "PostgreSQL ms/req", "charge")
    rows = [header]
    for run in runs.values():
        rows.append(
            (
                run["label"],
                f"{run['requests_per_second']:.1f}",
                f"{run['ratio_to_healthz']:.2f}",
                f"{run['p50_ms']:.1f}",
                f"{run['p99_ms']:.1f}",
                str(run["errors"]),
                str(run["distinct_addresses"]),
                str(run["pages_computed"]),
                f"{run['cpu']['gunicorn_ms_per_request']:.1f}",
                f"{run['cpu']['postgresql_ms_per_request']:.1f}",
                f"{run['load_average'][0]:.1f}",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for n, row in enumerate(rows):
        print(
            "  ".join(
                [row[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True))]
            )
        )
        if n == 0:
            print("  ".join("-" * width for width in widths))
    print(
        "adresses : adresses distinctes demandées ; calculées : pages mises dans le cache (ses défauts) ; "
        "gunicorn ms/req : temps de processeur de gunicorn (maître et workers) par requête servie ; "
        "PostgreSQL ms/req : celui des connexions du site (au moins) ; "
        "charge : charge moyenne de la machine (1 min) au début de l'essai."
    )
    for key, label in (("cache_on", "cache des pages actif"), ("cache_off", "cache des pages coupé")):
        goal, run = result["goals"][key], runs[key]
        wanted = [f"≥ {goal['requests_per_second']} req/s"]
        if "p99_ms" in goal:
            wanted.append(f"p99 ≤ {goal['p99_ms']} ms")
        wanted.append("aucune erreur")
        measured = (
            f"{run['requests_per_second']:.1f} req/s, p99 {run['p99_ms']:.0f} ms, {run['errors']} erreurs"
        )
        outcome = "atteint" if goal["met"] else "manqué"
        print(f"Objectif, {label} ({', '.join(wanted)}) : {outcome} ({measured}).")
    print(f"Détails dans {var / 'loadtest.json'} ; journal de gunicorn dans {var / 'loadtest-gunicorn.log'}.")
