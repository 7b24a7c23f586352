"""Records the law asks us to keep: inserted once, never changed or deleted.

Guarded at three levels: the model refuses save() on an existing row and delete(), its
queryset refuses update() and delete(), and on PostgreSQL a trigger rejects UPDATE and
DELETE on the table, so not even raw SQL can rewrite what was recorded.
"""

from __future__ import annotations

import pgtrigger
from django.db import models


class AppendOnlyError(TypeError):
    """Raised when code tries to change or delete a row that may only ever be added."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are never updated.")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are never deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are never updated.")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are never updated.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are never changed.")
        # Always INSERT: with a pk set by hand, Django would otherwise try an UPDATE first.
        kwargs.pop("force_update", None)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} rows are never deleted.")


def append_only_trigger(name: str) -> pgtrigger.Protect:
    """The PostgreSQL trigger that refuses UPDATE and DELETE on the model's table."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)
