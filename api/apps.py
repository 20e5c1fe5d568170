from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django REST framework's French catalogue translates a few of Django's core messages otherwise, and any
# installed app's catalogue wins over Django's core one: the site's forms would change wording
# (« adresse e-mail » for Django's « adresse de courriel »...). Marked here, they go into our catalogue
# with Django's French words, and ours is read first. (The admin's own messages are safe: it comes
# before Django REST framework in INSTALLED_APPS.)
DJANGO_WORDING = [
    gettext_noop("Enter a valid email address."),
    gettext_noop("No file was submitted."),
    gettext_noop("Upload a valid image. The file you uploaded was either not an image or a corrupted image."),
    gettext_noop("Value must be valid JSON."),
]


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API et données ouvertes")
