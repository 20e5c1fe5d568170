"""Create the account of an Éditeur (or an Administrateur), or give an existing account that role."""

import getpass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from editing.roles import ADMINISTRATORS, EDITORS
from structures.models import Network


class Command(BaseCommand):
    help = (
        "Crée le compte d'un Éditeur (ou, avec --administrateur, d'un Administrateur), ou donne ce rôle à "
        "un compte existant. Le mot de passe est demandé ; sans saisie (--no-input), la personne le choisit "
        "elle-même avec « Mot de passe oublié »."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="L'identifiant de connexion.")
        parser.add_argument(
            "--email", required=True, help="Son adresse e-mail (pour « Mot de passe oublié »)."
        )
        parser.add_argument("--first-name", default="", help="Son prénom.")
        parser.add_argument("--last-name", default="", help="Son nom.")
        parser.add_argument(
            "--administrateur",
            action="store_true",
            dest="administrator",
            help="Le rôle Administrateur (supprimer, importer, gérer les comptes) plutôt qu'Éditeur.",
        )
        parser.add_argument(
            "--organisation",
            action="append",
            default=[],
            dest="organisations",
            metavar="SLUG",
            help=(
                "Un réseau dont la personne rédige et publie les fiches, par son adresse courte "
                "(ex. coorace) ; répétable. Elle reste éditrice de ceux qu'elle avait déjà."
            ),
        )
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Ne pas demander de mot de passe."
        )

    @transaction.atomic
    def handle(
        self,
        *args,
        username,
        email,
        first_name,
        last_name,
        administrator,
        organisations,
        interactive,
        **options,
    ):
        role = ADMINISTRATORS if administrator else EDITORS
        networks = self._networks(organisations)
        try:
            group = Group.objects.get(name=role)
        except Group.DoesNotExist as error:
            raise CommandError(
                f"Le rôle « {role} » n'existe pas : lancez d'abord « manage.py migrate »."
            ) from error
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        user.email = email
        user.first_name = first_name or user.first_name
        user.last_name = last_name or user.last_name
        user.is_staff = True  # the role is exercised in the administration
        user.is_active = True
        if created:
            if interactive:
                user.set_password(self._ask_password(user))
            else:
                user.set_unusable_password()
        user.save()
        user.groups.add(group)
        user.organisations.add(*networks)
        done = "créé" if created else "mis à jour"
        names = ", ".join(network.label for network in user.organisations.order_by("name"))
        self.stdout.write(
            f"Compte « {username} » {done} : {role}" + (f", réseaux : {names}." if names else ".")
        )
        if created and not interactive:
            self.stdout.write(
                f"Sans mot de passe : {email} le choisira avec « Mot de passe oublié » sur la page de "
                "connexion."
            )

    def _networks(self, slugs):
        networks = {network.slug: network for network in Network.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in networks]
        if unknown:
            known = ", ".join(Network.objects.curating().values_list("slug", flat=True)) or "aucun"
            raise CommandError(
                f"Réseau inconnu : {', '.join(unknown)}. Réseaux qui suivent des fiches : {known}."
            )
        return list(networks.values())

    def _ask_password(self, user):
        for _attempt in range(3):
            password = getpass.getpass("Mot de passe : ")
            if password != getpass.getpass("Mot de passe (encore) : "):
                self.stderr.write("Les deux saisies diffèrent.")
                continue
            try:
                validate_password(password, user)
            except ValidationError as error:
                self.stderr.write(" ".join(error.messages))
                continue
            return password
        raise CommandError("Aucun mot de passe valable : rien n'a été créé.")
