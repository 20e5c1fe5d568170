"""Slugs become editable (an old address redirects to the new one), and are cut after a whole word."""

import re
import unicodedata

from django.db import migrations, models
from django.utils.text import slugify

APP = "cooperations"

# Slugs made before this migration were cut at 80 characters in the middle of a word ("...-de-l"). Those
# still as made are cut after their last whole word instead; the old address keeps answering, with a
# permanent redirect, through the object's history (which holds every slug it had). The rule is copied
# here as it is today (lib.text.slug_for), so that this migration never changes.
MAX_LENGTH = 80


def fold(value):
    decomposed = unicodedata.normalize("NFKD", str(value or ""))
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    ascii_text = ascii_text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


def cut_at_a_word(slug):
    cut = slug[: MAX_LENGTH + 1]
    if cut[-1] != "-" and "-" in cut:
        cut = cut.rsplit("-", 1)[0]
    return cut[:MAX_LENGTH].strip("-")


def cut_slugs(model_name, source):
    def forward(apps, schema_editor):
        model = apps.get_model(APP, model_name)
        taken = set(model.objects.values_list("slug", flat=True))
        for pk, slug, text in model.objects.values_list("pk", "slug", source).iterator():
            full = slugify(fold(text))
            if len(full) <= MAX_LENGTH or slug != full[:MAX_LENGTH].strip("-"):
                continue  # short enough, or chosen by someone: left as it is
            new = base = cut_at_a_word(full)
            if new == slug:
                continue  # cut after a whole word already
            n = 2
            while new in taken:
                new, n = f"{base}-{n}", n + 1
            taken.add(new)
            model.objects.filter(pk=pk).update(slug=new)

    return forward



class Migration(migrations.Migration):

    dependencies = [
        ('cooperations', '0007_cooperation_internal_note'),
    ]

    operations = [
        migrations.AlterField(
            model_name='cooperation',
            name='slug',
            field=models.SlugField(help_text="La fin de l'adresse de la fiche. Vide : tirée du titre. Changée : l'ancienne adresse mène toujours à la fiche.", max_length=90, unique=True, verbose_name='adresse courte'),
        ),
        migrations.AlterField(
            model_name='historicalcooperation',
            name='slug',
            field=models.SlugField(help_text="La fin de l'adresse de la fiche. Vide : tirée du titre. Changée : l'ancienne adresse mène toujours à la fiche.", max_length=90, verbose_name='adresse courte'),
        ),
        migrations.RunPython(cut_slugs("Cooperation", "title"), migrations.RunPython.noop),
    ]
