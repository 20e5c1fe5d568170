"""Synthetic published fiches for the benchmark and the load test.

Realistic in shape: a few thousand structures of every kind placed in real communes; each fiche has 2 to
4 of them as participants (mostly from one region), 1 to 3 departments of that region, 1 or 2 forms and
sectors, and French text in its summary and sections. Everything is written with bulk_create, then the
search data is rebuilt in one UPDATE. Needs the territories and the reference sheets (forms, sectors).
"""

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction

from cooperations.models import Cooperation, CooperationForm, Level, OutcomeFigure, Participation
from cooperations.search import refresh_search_index
from lib.text import fold, slug_for
from structures.models import Sector, Structure
from territories.models import Commune, Department

BATCH = 2000

# (activity, sector slug): what the fiches are about.
ACTIVITIES = [
    ("légumerie", "alimentation"),
    ("conserverie", "alimentation"),
    ("épicerie solidaire", "commerce"),
    ("maraîchage biologique", "agriculture"),
    ("restaurant d'insertion", "restauration"),
    ("cuisine centrale", "restauration"),
    ("chantier du bâtiment", "batiment"),
    ("rénovation énergétique", "energie"),
    ("entretien des espaces verts", "espaces-verts"),
    ("recyclerie", "reemploi-recyclage"),
    ("ressourcerie", "reemploi-recyclage"),
    ("collecte des biodéchets", "reemploi-recyclage"),
    ("atelier de couture", "textile"),
    ("reconditionnement informatique", "numerique"),
    ("garage solidaire", "mobilite"),
    ("transport à la demande", "mobilite"),
    ("plateforme logistique", "logistique"),
    ("blanchisserie", "proprete"),
    ("nettoyage de locaux", "proprete"),
    ("aide à domicile", "services-personne"),
    ("menuiserie", "industrie"),
    ("accueil touristique", "culture-tourisme"),
    ("habitat partagé", "logement"),
    ("conciergerie d'entreprise", "services-entreprises"),
    ("parcours vers l'emploi", "emploi-formation"),
]
QUALIFIERS = ["partagée", "solidaire", "mutualisée", "territoriale", "coopérative", "inclusive", "commune"]

# Kinds with their weight among the structures, and the words their names are made of.
KINDS = {
    "ACI": (24, ["Chantier d'insertion", "Jardins de", "Atelier", "Recyclerie de"]),
    "AI": (10, ["Association intermédiaire", "Trait d'union", "Emplois services"]),
    "EI": (15, ["Entreprise d'insertion", "Solidarité", "Le Relais", "Envie"]),
    "ETTI": (8, ["Intérim solidaire", "Tremplin intérim", "ETTI"]),
    "EITI": (2, ["Coopérative d'activités", "Indépendants solidaires"]),
    "GEIQ": (5, ["GEIQ BTP", "GEIQ Propreté", "GEIQ Agriculture"]),
    "EA": (5, ["Entreprise adaptée", "Atelier adapté"]),
    "ESAT": (5, ["ESAT", "Les ateliers de"]),
    "company": (12, ["Boulangerie", "Transports", "Bâtiment", "Conserveries", "Logistique"]),
    "public_body": (6, ["Communauté de communes de", "Mairie de", "Centre communal d'action sociale de"]),
    "association": (5, ["Association", "Collectif", "Amicale"]),
    "network": (2, ["Réseau des acteurs de", "Fédération des SIAE de"]),
    "research_training": (1, ["Centre de formation de", "Laboratoire d'économie sociale de"]),
}
ROLES = [("partner", 6), ("client", 2), ("funder", 1), ("other", 1)]

SUMMARIES = [
    "{lead} et {partner} ont créé une {activity} {qualifier} pour les habitants de {place}.",
    "Portée par {lead}, la {activity} réunit {count} structures de {place} autour d'un même outil.",
    "À {place}, {lead} s'associe à {partner} pour développer une activité de {activity}.",
]
SENTENCES = {
    "context": [
        "Le territoire de {place} compte de nombreuses personnes éloignées de l'emploi.",
        "Les structures se connaissaient depuis longtemps sans travailler ensemble.",
        "Un appel à projets du département a servi d'élément déclencheur.",
        "La fermeture d'un site industriel a laissé des compétences sans emploi.",
    ],
    "objectives": [
        "Créer des parcours d'insertion qualifiants dans la {activity}.",
        "Mutualiser les moyens logistiques et les fonctions support.",
        "Répondre ensemble aux marchés publics comportant des clauses sociales.",
        "Développer des débouchés durables pour les salariés en insertion.",
    ],
    "implementation": [
        "- une convention de partenariat signée pour trois ans ;\n- un comité de pilotage trimestriel ;",
        "Un encadrant technique partagé forme les équipes sur les deux sites.",
        "Les locaux ont été rénovés grâce à une subvention de la région.",
        "Les salariés en insertion travaillent par binômes avec des professionnels expérimentés.",
    ],
    "results": [
        "{jobs} emplois ont été créés et {people} personnes accompagnées depuis le démarrage.",
        "Le chiffre d'affaires a doublé en deux ans.",
        "Plus de la moitié des salariés ont trouvé un emploi durable à la sortie.",
    ],
    "success_factors": [
        "La confiance entre les dirigeants et une gouvernance claire.",
        "Un soutien constant des collectivités et de la DREETS.",
        "Des clients engagés qui ont accepté d'adapter leurs commandes.",
    ],
    "difficulties": [
        "Le modèle économique reste fragile pendant les premières années.",
        "Le recrutement des encadrants techniques a pris du retard.",
        "La coordination demande du temps que personne n'avait prévu.",
    ],
    "indicators": [
        "Taux de sorties dynamiques, nombre d'heures de travail, chiffre d'affaires.",
        "Nombre de personnes accompagnées et durée moyenne des parcours.",
    ],
    "replicability": [
        "Le modèle peut être reproduit dans tout territoire disposant d'un tissu de SIAE.",
        "Commencer par une petite activité commune avant de créer une structure juridique.",
    ],
}
FIGURES = [("tonnes de déchets évitées", "t"), ("repas servis par jour", ""), ("hectares cultivés", "ha")]


def generate(count, *, structure_count=3000, seed=1, stdout=None):
    """Write `count` published fiches and `structure_count` structures; returns (fiches, structures)."""
    rng = random.Random(seed)
    forms = list(CooperationForm.objects.all())
    sectors = {sector.slug: sector for sector in Sector.objects.all()}
    departments = list(Department.objects.select_related("region"))
    communes = list(Commune.objects.values_list("code", "name", "department_id"))
    if not (forms and sectors and departments and communes):
        raise ValueError("Chargez d'abord les territoires et les fiches de référence.")
    with transaction.atomic():
        structures = _structures(rng, structure_count, communes)
        _progress(stdout, f"{len(structures)} structures écrites.")
        fiches = _cooperations(rng, count, structures, departments, forms, sectors)
        _progress(stdout, f"{len(fiches)} fiches et leurs liens écrits ; index de recherche…")
        refresh_search_index()
    # Planner statistics and a clean visibility map, as autovacuum gives a database in use: without
    # them, PostgreSQL plans the first queries on 10,000 rows as if the tables were empty.
    # (VACUUM cannot run inside a transaction, as in the tests.)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return len(fiches), len(structures)


def _progress(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _weighted(rng, choices):
    return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


def _structures(rng, count, communes):
    kinds = [(kind, weight) for kind, (weight, _words) in KINDS.items()]
    names, slugs, rows = set(), set(), []
    while len(rows) < count:
        kind = _weighted(rng, kinds)
        commune_code, commune_name, department_code = rng.choice(communes)
        name = f"{rng.choice(KINDS[kind][1])} {commune_name}"
        if (fold(name), kind) in names:
            continue
        names.add((fold(name), kind))
        slug = base = slug_for(name)
        n = 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        rows.append(
            Structure(
                name=name,
                kind=kind,
                slug=slug,
                search_name=fold(name),
                commune_id=commune_code,
                department_id=department_code,
                description=f"Structure de {commune_name}.",
            )
        )
    return Structure.objects.bulk_create(rows, batch_size=BATCH)


def _cooperations(rng, count, structures, departments, forms, sectors):
    by_region = defaultdict(list)
    for department in departments:
        by_region[department.region_id].append(department)
    department_of = {department.code: department for department in departments}
    structures_by_region = defaultdict(list)
    for structure in structures:
        structures_by_region[department_of[structure.department_id].region_id].append(structure)

    start = datetime(2018, 1, 1, tzinfo=UTC)
    fiches, plans, slugs = [], [], set()
    for i in range(count):
        # The lead's department first; partners mostly from its region, now and then from anywhere.
        lead = rng.choice(structures)
        home = department_of[lead.department_id]
        others = by_region[home.region_id]
        places = [home, *rng.sample(others, min(len(others), rng.choice([0, 0, 1, 2])))]
        places = list(dict.fromkeys(places))
        pool = structures_by_region[home.region_id]
        if len(pool) < 5 or rng.random() < 0.2:
            pool = structures
        partners = [s for s in rng.sample(pool, 4) if s is not lead][: rng.randint(1, 3)]
        participants = [lead, *partners]
        place = home.name
        activity, sector_slug = rng.choice(ACTIVITIES)
        title = f"{activity[0].upper()}{activity[1:]} {rng.choice(QUALIFIERS)} ({place})"
        slug = base = slug_for(title)
        n = 2
        while slug in slugs:
            slug, n = f"{base}-{n}", n + 1
        slugs.add(slug)
        jobs, people = rng.randint(0, 40), rng.randint(5, 300)
        words = {
            "lead": participants[0].name,
            "partner": participants[1].name,
            "activity": activity,
            "qualifier": rng.choice(QUALIFIERS),
            "place": place,
            "count": len(participants),
            "jobs": jobs,
            "people": people,
        }
        sections = {
            name: " ".join(rng.sample(sentences, min(len(sentences), rng.randint(1, 3)))).format(**words)
            for name, sentences in SENTENCES.items()
            if rng.random() < 0.8
        }
        fiches.append(
            Cooperation(
                title=title,
                slug=slug,
                status=Cooperation.Status.PUBLISHED,
                level=rng.choice(Level.values),
                scope=Cooperation.Scope.LOCAL if len(places) == 1 else Cooperation.Scope.DEPARTMENTAL,
                start_year=rng.randint(1995, 2025),
                jobs_created=jobs,
                people_supported=people,
                published_at=start + timedelta(minutes=i * 37 + rng.randint(0, 30)),
                summary=rng.choice(SUMMARIES).format(**words),
                **sections,
            )
        )
        other_sectors = [sectors[sector_slug]]
        if rng.random() < 0.4:
            other_sectors.append(rng.choice([s for s in sectors.values() if s.slug != sector_slug]))
        plans.append((places, participants, rng.sample(forms, rng.choice([1, 1, 2])), other_sectors))
    Cooperation.objects.bulk_create(fiches, batch_size=BATCH)
    _links(rng, fiches, plans)
    return fiches


def _links(rng, fiches, plans):
    through = {name: getattr(Cooperation, name).through for name in ("departments", "forms", "sectors")}
    departments, forms, sectors, participations, figures = [], [], [], [], []
    for fiche, (places, participants, fiche_forms, fiche_sectors) in zip(fiches, plans, strict=True):
        departments += [through["departments"](cooperation=fiche, department=d) for d in places]
        forms += [through["forms"](cooperation=fiche, cooperationform=f) for f in fiche_forms]
        sectors += [through["sectors"](cooperation=fiche, sector=s) for s in fiche_sectors]
        participations += [
            Participation(
                cooperation=fiche, structure=structure, role="lead" if n == 0 else _weighted(rng, ROLES)
            )
            for n, structure in enumerate(participants)
        ]
        for position in range(rng.choice([0, 0, 1, 2])):
            label, unit = rng.choice(FIGURES)
            value = Decimal(rng.randint(1, 500))
            figures.append(
                OutcomeFigure(cooperation=fiche, value=value, unit=unit, label=label, position=position)
            )
    for rows in (departments, forms, sectors, participations, figures):
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=BATCH)
