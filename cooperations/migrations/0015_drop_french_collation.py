"""Titles are put in French order without the `coop_fr` collation (cooperations.search.french_order),
which an embedded PostgreSQL built without ICU could only make a byte order."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0014_drop_search_text")]

    operations = [
        migrations.RunSQL(
            "DROP COLLATION IF EXISTS coop_fr;",
            "CREATE COLLATION IF NOT EXISTS coop_fr FROM \"C\";",
        )
    ]
