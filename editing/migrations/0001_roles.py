from django.db import migrations


def create_roles(apps, schema_editor):
    from editing.roles import sync_roles

    sync_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cooperations", "0003_editing"),
        ("structures", "0002_editing"),
        ("proposals", "0001_initial"),
        ("territories", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
