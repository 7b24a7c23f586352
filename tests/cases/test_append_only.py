"""Moves are rows, never overwrites: the ORM refuses to change or delete them, and on
PostgreSQL so does the database."""

import pytest
from django.db import DatabaseError, connection, transaction

from cases.append_only import AppendOnlyError
from cases.models import Transition
from cases.services import case_advance
from cases.workflow import Step


def test_a_move_cannot_be_changed_or_deleted_through_the_orm(cast, case):
    move = case_advance(case=case, to=Step.CONSULT, by=cast.leerkracht)
    move.reason = "achteraf aangepast"
    with pytest.raises(TypeError):
        move.save()
    with pytest.raises(TypeError):
        move.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="triggers exist on PostgreSQL only")
def test_the_database_refuses_to_rewrite_a_move(cast, case):
    table = Transition._meta.db_table
    for sql in (
        f"UPDATE {table} SET reason = 'achteraf' WHERE case_id = %s",
        f"DELETE FROM {table} WHERE case_id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [case.pk])
    assert Transition.objects.filter(case=case).count() == 1


def test_a_queryset_cannot_update_or_delete_moves(cast, case):
    with pytest.raises(AppendOnlyError):
        Transition.objects.filter(case=case).update(reason="achteraf")
    with pytest.raises(AppendOnlyError):
        Transition.objects.filter(case=case).delete()
