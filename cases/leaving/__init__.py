"""A pupil who leaves during or shortly after a case: the leaving checklist."""
