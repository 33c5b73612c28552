# Indexes for matching's index fingerprint (max(updated_at) of assignments and tasks), see experts 0006.

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('experts', '0006_updated_at_indexes'),
        ('work', '0002_classification_and_approval'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name='assignment',
            index=models.Index(fields=['updated_at'], name='kpo_assignment_updated_at'),
        ),
        migrations.AddIndex(
            model_name='task',
            index=models.Index(fields=['updated_at'], name='kpo_task_updated_at'),
        ),
    ]
