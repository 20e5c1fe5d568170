"""The folded words of each fiche, a second search-data format that PostgreSQL never filled: the search
reads the tsvector alone."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0013_drop_redundant_status_level_indexes")]

    operations = [migrations.RemoveField(model_name="cooperation", name="search_text")]
