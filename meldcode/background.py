"""django-tasks-db's queue of background tasks (the dossier PDF: `cases.pdf.tasks`), under
a Dutch name in the admin, where the application manager sees whether tasks wait."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class BackgroundTasksConfig(TasksAppConfig):
    verbose_name = _("background tasks")
