"""Inzage: the parents (or the pupil from 16) ask for the child's data (AVG art. 15)."""
