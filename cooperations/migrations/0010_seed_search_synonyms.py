"""The field's equivalences, as the administrators find them in the admin the first time; they may
change or add to them afterwards (a second run adds only the missing lines)."""

from django.db import migrations

from cooperations.models.synonym import FIELD_EQUIVALENCES, seed_field_equivalences



def seed(apps, schema_editor):
    seed_field_equivalences(apps.get_model("cooperations", "Synonym"))


def unseed(apps, schema_editor):
    apps.get_model("cooperations", "Synonym").objects.filter(terms__in=FIELD_EQUIVALENCES).delete()


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0009_search_synonyms")]

    operations = [migrations.RunPython(seed, unseed)]
