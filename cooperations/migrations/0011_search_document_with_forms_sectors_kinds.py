"""The search data now holds each fiche's forms, sectors, level and participants' kinds: rewrite it."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from cooperations.search_index import refresh_search_index  # noqa: PLC0415 - the SQL of today's index

    refresh_search_index(facets=False)  # the facet counts' table comes later (0018)


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0010_seed_search_synonyms")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
