"""An index of the published fiches' ids, and the search vectors kept inside the table's rows.

A fiche's row is larger than PostgreSQL's 2 kB threshold, so its tsvector was moved out of line into the
TOAST table, and every search read it back from there row by row: four times slower than reading it in
place. STORAGE MAIN keeps it in the row (the long sections go out of line instead); the UPDATE rewrites
the existing vectors so that they move too.
"""

from django.db import migrations, models

FORWARD = """
ALTER TABLE cooperations_cooperation ALTER COLUMN search_vector SET STORAGE MAIN;
UPDATE cooperations_cooperation SET search_vector = search_vector || ''::tsvector
    WHERE search_vector IS NOT NULL;
"""
BACKWARD = "ALTER TABLE cooperations_cooperation ALTER COLUMN search_vector SET STORAGE EXTENDED;"


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0005_postgresql_search")]

    operations = [
        migrations.AddIndex(
            model_name="cooperation",
            index=models.Index(
                fields=["status", "id"],
                include=("level", "start_year", "published_at"),
                name="coop_status_id_idx",
            ),
        ),
        migrations.RunSQL([FORWARD], [BACKWARD]),
    ]
