"""PostgreSQL search set-up: accent-insensitive French text search, its GIN index, a French collation."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- "french" stemming applied to unaccented words: "Écopôle" and "ecopole" give the same lexeme.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END $$;

-- Titles sorted as a French reader expects ("Écopôle" among the E), whatever the database locale.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_collation WHERE collname = 'coop_fr') THEN
        BEGIN
            CREATE COLLATION coop_fr (provider = icu, locale = 'fr');
        EXCEPTION WHEN OTHERS THEN
            -- A server built without ICU: keep the byte order rather than fail.
            CREATE COLLATION coop_fr FROM "C";
        END;
    END IF;
END $$;

CREATE INDEX IF NOT EXISTS coop_search_vector_idx ON cooperations_cooperation USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS coop_search_vector_idx;
DROP COLLATION IF EXISTS coop_fr;
DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;
"""


class Migration(migrations.Migration):
    dependencies = [("cooperations", "0004_search_fields_and_year_index")]

    # Each script is one statement for the driver (a list item): its DO blocks are not split.
    operations = [migrations.RunSQL([FORWARD], [BACKWARD])]
