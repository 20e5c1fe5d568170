import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cooperations.models import Cooperation
from cooperations.services import cooperation_publish, cooperation_unpublish
from tests.editing.helpers import admin_form_data, change_url
from tests.factories import CooperationFactory, UserFactory


@pytest.fixture
def editor():
    return UserFactory(editor=True)


@pytest.fixture
def writer():
    """Staff who may write fiches but not publish them."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="cooperations",
            codename__in=[
                "view_cooperation",
                "add_cooperation",
                "change_cooperation",
                "view_participation",
                "add_participation",
                "change_participation",
            ],
        )
    )
    return user


@pytest.mark.django_db
def test_publishing_records_who_and_when(editor):
    cooperation = CooperationFactory()
    cooperation_publish(cooperation=cooperation, user=editor)
    cooperation.refresh_from_db()
    assert cooperation.status == Cooperation.Status.PUBLISHED
    assert cooperation.published_by == editor
    assert cooperation.published_at is not None


@pytest.mark.django_db
def test_unpublishing_takes_the_fiche_off_the_public_pages(client, editor):
    cooperation = CooperationFactory(published=True)
    cooperation_unpublish(cooperation=cooperation, user=editor)
    assert client.get(cooperation.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_publishing_without_the_permission_is_refused(writer):
    cooperation = CooperationFactory()
    with pytest.raises(PermissionDenied):
        cooperation_publish(cooperation=cooperation, user=writer)
    cooperation.refresh_from_db()
    assert cooperation.status == Cooperation.Status.DRAFT


@pytest.mark.django_db
def test_publishing_a_published_fiche_says_so(editor):
    cooperation = CooperationFactory(published=True)
    with pytest.raises(ValidationError, match="déjà publiée"):
        cooperation_publish(cooperation=cooperation, user=editor)


@pytest.mark.django_db
def test_a_fiche_written_in_the_admin_starts_as_a_draft(client, editor):
    client.force_login(editor)
    add_url = reverse("admin:cooperations_cooperation_add")
    data = admin_form_data(client.get(add_url), title="Atelier vélo", slug="atelier-velo", level="simple")
    data["status"] = "published"  # not a field of the add form: ignored
    response = client.post(add_url, data)
    assert response.status_code == 302
    cooperation = Cooperation.objects.get(slug="atelier-velo")
    assert cooperation.status == Cooperation.Status.DRAFT
    assert cooperation.created_by == editor


@pytest.mark.django_db
def test_the_change_form_publishes_through_the_service(client, editor):
    cooperation = CooperationFactory()
    client.force_login(editor)
    data = admin_form_data(client.get(change_url(cooperation)), status="published")
    response = client.post(change_url(cooperation), data, follow=True)
    assert "La fiche est publiée : elle est visible de tous." in response.text
    cooperation.refresh_from_db()
    assert cooperation.is_published
    assert cooperation.published_by == editor


@pytest.mark.django_db
def test_a_status_change_by_someone_who_may_not_publish_is_refused(client, writer):
    cooperation = CooperationFactory()
    client.force_login(writer)
    page = client.get(change_url(cooperation))
    assert 'name="status"' not in page.text  # shown read-only
    client.post(change_url(cooperation), admin_form_data(page, status="published", title="Nouveau titre"))
    cooperation.refresh_from_db()
    assert cooperation.title == "Nouveau titre"
    assert cooperation.status == Cooperation.Status.DRAFT


@pytest.mark.django_db
def test_bulk_actions_publish_and_unpublish_and_count(client, editor):
    drafts = CooperationFactory.create_batch(2)
    already = CooperationFactory(published=True)
    client.force_login(editor)
    changelist = reverse("admin:cooperations_cooperation_changelist")
    selected = [c.pk for c in [*drafts, already]]
    response = client.post(
        changelist, {"action": "publish_selected", "_selected_action": selected}, follow=True
    )
    assert Cooperation.objects.published().count() == 3
    messages = [str(m) for m in response.context["messages"]]
    assert messages == ["2 fiches publiées.", "1 fiche l'était déjà."]

    client.post(changelist, {"action": "unpublish_selected", "_selected_action": [drafts[0].pk]})
    assert Cooperation.objects.published().count() == 2


@pytest.mark.django_db
def test_bulk_publication_is_not_offered_without_the_permission(client, writer):
    client.force_login(writer)
    response = client.get(reverse("admin:cooperations_cooperation_changelist"))
    assert "publish_selected" not in response.text
    cooperation = CooperationFactory()
    client.post(
        reverse("admin:cooperations_cooperation_changelist"),
        {"action": "publish_selected", "_selected_action": [cooperation.pk]},
    )
    cooperation.refresh_from_db()
    assert not cooperation.is_published


@pytest.mark.django_db
def test_drafts_are_hidden_from_visitors_and_previewed_by_staff(client, editor):
    draft = CooperationFactory(title="Garage solidaire en projet")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("cooperations:preview", args=[draft.slug])).status_code == 404
    assert "Garage solidaire" not in client.get(reverse("cooperations:list")).text

    client.force_login(editor)
    response = client.get(reverse("cooperations:preview", args=[draft.slug]))
    assert response.status_code == 200
    assert "Garage solidaire en projet" in response.text
    assert "n'est pas visible du public" in response.text


@pytest.mark.django_db
def test_the_preview_is_refused_to_signed_in_users_who_are_not_staff(client):
    client.force_login(UserFactory())
    draft = CooperationFactory()
    assert client.get(reverse("cooperations:preview", args=[draft.slug])).status_code == 404


@pytest.mark.django_db
def test_view_on_site_leads_drafts_to_the_preview_and_published_fiches_to_their_page(client, editor):
    draft, published = CooperationFactory(), CooperationFactory(published=True)
    client.force_login(editor)
    for cooperation, expected in [
        (draft, reverse("cooperations:preview", args=[draft.slug])),
        (published, published.get_absolute_url()),
    ]:
        page = client.get(change_url(cooperation))
        assert page.context["absolute_url"] == expected
        assert f'href="{expected}"' in page.text
