"""Records the law asks us to keep: inserted once, never changed or deleted.

Guarded at three levels: the model refuses save() on an existing row and delete(), its
queryset refuses update() and delete(), and on PostgreSQL a trigger rejects UPDATE and
DELETE on the table, so not even raw SQL can rewrite what was recorded.

One path is let through: purging a case past its retention term (`cases.retention`),
inside `purging(...)`. On PostgreSQL the application's own database role has no UPDATE,
DELETE or TRUNCATE privilege on these tables at all (README, "Database roles"), so the
purge runs as the owner role; the triggers stay on for everyone else.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

import pgtrigger
from django.db import connection, models

_purging: contextvars.ContextVar[frozenset] = contextvars.ContextVar("purging", default=frozenset())


@contextlib.contextmanager
def purging(*model_classes) -> Iterator[None]:
    """Let `cases.retention` delete (and blank the access log's content) for these models
    only, in this context. Nothing else calls this."""
    token = _purging.set(_purging.get() | frozenset(model_classes))
    try:
        if connection.vendor == "postgresql":
            uris = [
                f"{model._meta.label}:{trigger.name}"
                for model in model_classes
                for trigger in getattr(model._meta, "triggers", [])
            ]
            # pgtrigger.ignore() without names would ignore every trigger: never that.
            with pgtrigger.ignore(*uris) if uris else contextlib.nullcontext():
                yield
        else:
            yield
    finally:
        _purging.reset(token)


def _is_purging(model) -> bool:
    return model in _purging.get()


class AppendOnlyError(TypeError):
    """Raised when code tries to change or delete a row that may only ever be added."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are never updated.")

    def delete(self):
        if _is_purging(self.model):
            return super().delete()
        raise AppendOnlyError(f"{self.model.__name__} rows are never deleted.")

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        from cases import seal

        if seal.is_sealed(self.model):
            seal.seal_records(self.model, [obj.pk for obj in created if obj.pk is not None])
        return created

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
        if _is_purging(type(self)):
            return super().delete(*args, **kwargs)
        raise AppendOnlyError(f"{type(self).__name__} rows are never deleted.")


def append_only_trigger(name: str) -> pgtrigger.Protect:
    """The PostgreSQL trigger that refuses UPDATE and DELETE on the model's table."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)
